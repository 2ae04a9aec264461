// The Host tab: a shell on the machine running LVS Lab, for `lvs-lab`, `docker` and `tcpdump`
// on the lab bridges. The core says whether it is on (always in the desktop app; in browser
// mode only with `lvs-lab serve --host-terminal`); while it is off the tab stays visible,
// disabled, with how to turn it on.
import { useEffect } from 'react';
import type { AppFeatures } from '../../../../shared/api.js';
import type { ErrorInfo } from '../../api/errors.js';
import { useFeaturesStore } from '../../stores/features-store.js';
import { HOST_TERMINAL } from '../../terminal/terminal-registry.js';
import { TerminalPane } from './TerminalPane.js';
import { TerminalSearch } from './TerminalSearch.js';
import { TerminalStatusBar } from './TerminalStatusBar.js';

export interface HostTerminalTab {
  enabled: boolean;
  /** The tab's tooltip: what it is, or why it is off and how to turn it on. */
  title: string;
  user: string | null;
}

export function hostTerminalTab(features: AppFeatures | null, error: ErrorInfo | null): HostTerminalTab {
  if (features?.hostTerminal === true) {
    const user = features.hostUser ?? null;
    return { enabled: true, title: `A shell on this machine${user === null ? '' : ` as ${user}`}`, user };
  }
  if (features !== null) {
    return {
      enabled: false,
      title: sentence(features.hostTerminalReason ?? 'the host terminal is off'),
      user: null,
    };
  }
  if (error !== null) {
    return { enabled: false, title: `The host terminal is unavailable: ${error.message}`, user: null };
  }
  return { enabled: false, title: 'Asking LVS Lab whether the host terminal is on…', user: null };
}

/** The Host tab's state, asking the core once per page. */
export function useHostTerminalTab(): HostTerminalTab {
  const features = useFeaturesStore((s) => s.features);
  const error = useFeaturesStore((s) => s.error);
  useEffect(() => {
    void useFeaturesStore.getState().load();
  }, []);
  return hostTerminalTab(features, error);
}

/** The host's shell, under a line saying whose shell it is: it is no lab node. */
export function HostTerminalArea({
  labId,
  user,
  searchOpen,
}: {
  labId: string;
  user: string | null;
  searchOpen: boolean;
}) {
  return (
    <div className="terminal-area">
      <p className="host-notice" role="note">
        {`This is a shell on the host${user === null ? '' : ` as ${user}`}: what you type runs on this machine, not in a lab node.`}
      </p>
      {searchOpen ? <TerminalSearch key="search-host" node={HOST_TERMINAL} label="the host" /> : null}
      <TerminalPane key="pane-host" labId={labId} node={HOST_TERMINAL} />
      <TerminalStatusBar node={HOST_TERMINAL} label="the host" />
    </div>
  );
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
