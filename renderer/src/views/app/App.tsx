// The page: the lab picker, or the lab view for the lab on screen; banner, help and toasts.
import { useEffect } from 'react';
import { getApi, getConnection } from '../../api/index.js';
import { useShortcuts } from '../../app/use-shortcuts.js';
import { wireApp } from '../../app/wiring.js';
import { useEngineStore } from '../../stores/engine-store.js';
import { useLabStore } from '../../stores/lab-store.js';
import { useLabsStore } from '../../stores/labs-store.js';
import { usePreflightStore } from '../../stores/preflight-store.js';
import { useUiStore } from '../../stores/ui-store.js';
import { getTerminalRegistry } from '../../terminal/registry-instance.js';
import { ConnectionBanner } from '../common/ConnectionBanner.js';
import { HelpOverlay } from '../common/HelpOverlay.js';
import { Toasts } from '../common/Toasts.js';
import { ViewBoundary } from '../common/ViewBoundary.js';
import { EngineDiedBanner } from '../engine/EngineDiedBanner.js';
import { LabView } from '../lab/LabView.js';
import { LabPicker } from '../picker/LabPicker.js';
import { AppHeader } from './AppHeader.js';

export function App() {
  const activeLabId = useLabStore((s) => s.activeLabId);
  const initialized = useLabStore((s) => s.initialized);
  const theme = useUiStore((s) => s.theme);

  useEffect(() => {
    const unwire = wireApp(getApi(), getConnection(), getTerminalRegistry);
    // After a reload: ask what runs and go back to it; list the labs, ask which engine runs
    // them, and check it.
    void useLabStore.getState().init();
    void useLabsStore.getState().load();
    void useEngineStore.getState().refresh();
    void usePreflightStore.getState().run();
    return unwire;
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useShortcuts();

  return (
    <div className="app">
      <ConnectionBanner />
      <EngineDiedBanner />
      <AppHeader />
      {!initialized && activeLabId === null ? (
        <main className="loading dim">Asking the engine which labs are running…</main>
      ) : activeLabId === null ? (
        <ViewBoundary name="The lab list">
          <LabPicker />
        </ViewBoundary>
      ) : (
        <ViewBoundary key={activeLabId} name="The lab">
          <LabView labId={activeLabId} />
        </ViewBoundary>
      )}
      <HelpOverlay />
      <Toasts />
    </div>
  );
}
