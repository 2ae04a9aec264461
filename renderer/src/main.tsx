// Entry point: wires the terminals to xterm, drops the browser token from the address bar and
// mounts the app. The views are .tsx with the automatic JSX runtime ("jsx": "react-jsx" in
// tsconfig.web.json, which also typechecks test/unit/renderer; esbuild's jsx: 'automatic' in
// vite.config.ts and vitest.config.ts), so no file imports React just for JSX.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xterm/xterm/css/xterm.css';
import './styles.css';
import { isBrowserMode } from './api/index.js';
import { installE2EHook } from './terminal/e2e-hook.js';
import { getTerminalRegistry, setTerminalViewFactory } from './terminal/registry-instance.js';
import { createXtermView } from './terminal/xterm-view.js';
import { useUiStore } from './stores/ui-store.js';
import { App } from './views/app/App.js';
import { ViewBoundary } from './views/common/ViewBoundary.js';

setTerminalViewFactory(() => createXtermView(useUiStore.getState().theme));
installE2EHook(window.location.search, getTerminalRegistry);

// The server set its cookie when the page was opened with ?token=...; keep the token out of the
// address bar, history and screenshots from now on.
if (isBrowserMode()) {
  const url = new URL(window.location.href);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
}

document.documentElement.dataset.theme = useUiStore.getState().theme;

const root = document.getElementById('root');
if (!root) throw new Error('the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <ViewBoundary name="LVS Lab">
      <App />
    </ViewBoundary>
  </StrictMode>,
);
