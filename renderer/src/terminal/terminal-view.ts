// What the registry needs of a terminal widget. The real one wraps xterm (xterm-view.ts); tests
// pass a fake, since xterm needs a real canvas and layout.
import type { Theme } from '../stores/ui-store.js';

export interface TerminalSize {
  cols: number;
  rows: number;
}

export interface TerminalView {
  readonly cols: number;
  readonly rows: number;
  /** Writes bytes from the node (or a notice); done runs once xterm has parsed them. */
  write(data: Uint8Array | string, done?: () => void): void;
  /** Keystrokes and pastes. */
  onInput(listener: (data: string) => void): void;
  /** Only on a real change of columns or rows. */
  onResize(listener: (size: TerminalSize) => void): void;
  /** Shows the terminal in parent: opened the first time, re-parented after (scrollback stays). */
  attach(parent: HTMLElement): void;
  detach(): void;
  focus(): void;
  /** Finds text in the scrollback; false when there is no match. */
  find(text: string, direction: 'next' | 'previous'): boolean;
  clearFind(): void;
  setTheme(theme: Theme): void;
  /** The buffer's text, line by line, trailing blank lines removed. */
  text(): string;
  dispose(): void;
}

export type TerminalViewFactory = (node: string) => TerminalView;

/** A dim notice line, as xterm shows it: "[process exited: reason]". */
export function notice(text: string): string {
  return `\r\n\x1b[2m[${text}]\x1b[0m\r\n`;
}
