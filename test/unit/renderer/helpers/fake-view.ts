/// <reference lib="dom" />
// A terminal widget without xterm: records what is written, lets the test type and resize.
import type { TerminalSize, TerminalView } from '../../../../renderer/src/terminal/terminal-view.js';
import type { Theme } from '../../../../renderer/src/stores/ui-store.js';

export class FakeTerminalView implements TerminalView {
  cols = 80;
  rows = 24;
  readonly written: (Uint8Array | string)[] = [];
  /** Write callbacks not yet run (when holdWrites is set), as xterm's parser would. */
  readonly pendingDone: (() => void)[] = [];
  holdWrites = false;
  parent: HTMLElement | null = null;
  attachCount = 0;
  disposed = false;
  focused = 0;
  theme: Theme | null = null;
  private readonly inputListeners: ((data: string) => void)[] = [];
  private readonly resizeListeners: ((size: TerminalSize) => void)[] = [];
  readonly element: HTMLElement = document.createElement('div');

  constructor(readonly node: string) {
    this.element.className = 'terminal-host';
  }

  write(data: Uint8Array | string, done?: () => void): void {
    this.written.push(data);
    if (!done) return;
    if (this.holdWrites) this.pendingDone.push(done);
    else done();
  }
  onInput(listener: (data: string) => void): void {
    this.inputListeners.push(listener);
  }
  onResize(listener: (size: TerminalSize) => void): void {
    this.resizeListeners.push(listener);
  }
  attach(parent: HTMLElement): void {
    parent.appendChild(this.element);
    this.parent = parent;
    this.attachCount++;
  }
  detach(): void {
    this.element.remove();
    this.parent = null;
  }
  focus(): void {
    this.focused++;
  }
  find(text: string): boolean {
    return this.text().includes(text);
  }
  clearFind(): void {
    // nothing highlighted in the fake
  }
  setTheme(theme: Theme): void {
    this.theme = theme;
  }
  text(): string {
    const decoder = new TextDecoder();
    return this.written.map((w) => (typeof w === 'string' ? w : decoder.decode(w))).join('');
  }
  dispose(): void {
    this.disposed = true;
    this.element.remove();
  }

  /** The user types. */
  type(data: string): void {
    for (const listener of this.inputListeners) listener(data);
  }
  /** xterm fitted to a new size (fires only on a change, like xterm's onResize). */
  resize(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    for (const listener of this.resizeListeners) listener({ cols, rows });
  }
}
