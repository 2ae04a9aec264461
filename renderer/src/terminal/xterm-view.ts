// The real terminal widget: xterm with fit, search and web links. One per node; its host element
// is created once and moved between panes, so xterm is opened once and keeps its scrollback.
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import type { Theme } from '../stores/ui-store.js';
import { openExternalLink } from './links.js';
import type { TerminalSize, TerminalView } from './terminal-view.js';

const THEMES: Record<Theme, ITheme> = {
  light: {
    background: '#fbfbf9',
    foreground: '#1f2328',
    cursor: '#1f2328',
    cursorAccent: '#fbfbf9',
    selectionBackground: '#b6d3f2',
    // xterm's default yellow and white are unreadable on a light background.
    yellow: '#946300',
    brightYellow: '#7a5200',
    white: '#6e7781',
    brightWhite: '#57606a',
  },
  dark: {
    background: '#11151b',
    foreground: '#d6dde6',
    cursor: '#d6dde6',
    cursorAccent: '#11151b',
    selectionBackground: '#36506e',
  },
};

export function createXtermView(theme: Theme): TerminalView {
  const host = document.createElement('div');
  host.className = 'terminal-host';
  const term = new Terminal({
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: 13,
    scrollback: 5000,
    cursorBlink: true,
    theme: THEMES[theme],
    // The search addon highlights matches with decorations, a proposed API.
    allowProposedApi: true,
  });
  const fit = new FitAddon();
  const search = new SearchAddon();
  term.loadAddon(fit);
  term.loadAddon(search);
  term.loadAddon(
    new WebLinksAddon((event, uri) => {
      event.preventDefault();
      openExternalLink(uri);
    }),
  );

  let opened = false;
  let observer: ResizeObserver | null = null;
  let frame = 0;

  function fitNow(): void {
    // Hidden or not laid out yet: fit would compute a 0 or 1 column terminal.
    if (!host.isConnected || host.clientWidth === 0 || host.clientHeight === 0) return;
    fit.fit();
  }

  function scheduleFit(): void {
    if (frame !== 0) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      fitNow();
    });
  }

  const searchDecorations = {
    matchBackground: '#f2cc60',
    activeMatchBackground: '#ff9632',
    matchOverviewRuler: '#f2cc60',
    activeMatchColorOverviewRuler: '#ff9632',
  };

  return {
    get cols() {
      return term.cols;
    },
    get rows() {
      return term.rows;
    },
    write(data, done) {
      term.write(data, done);
    },
    onInput(listener) {
      term.onData(listener);
      // Mouse reports in some modes come as binary strings; they are input too.
      term.onBinary(listener);
    },
    onResize(listener: (size: TerminalSize) => void) {
      term.onResize(({ cols, rows }) => {
        listener({ cols, rows });
      });
    },
    attach(parent) {
      parent.appendChild(host);
      if (!opened) {
        term.open(host);
        opened = true;
      }
      observer?.disconnect();
      observer = new ResizeObserver(scheduleFit);
      observer.observe(parent);
      scheduleFit();
    },
    detach() {
      observer?.disconnect();
      observer = null;
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
      host.remove();
    },
    focus() {
      term.focus();
    },
    find(text, direction) {
      const options = { caseSensitive: false, decorations: searchDecorations };
      return direction === 'next' ? search.findNext(text, options) : search.findPrevious(text, options);
    },
    clearFind() {
      search.clearDecorations();
    },
    setTheme(next) {
      term.options.theme = THEMES[next];
    },
    text() {
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
      while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      return lines.join('\n');
    },
    dispose() {
      observer?.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
      host.remove();
      term.dispose();
    },
  };
}
