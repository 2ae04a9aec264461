// The director's live IPVS table, read every 2 s while this panel is shown.
import { useEffect } from 'react';
import { useIpvsStore } from '../../stores/ipvs-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { IpvsTable } from './IpvsTable.js';
import { TunCallout } from './TunCallout.js';

export const IPVS_POLL_MS = 2000;

export function IpvsPanel({ labId, running }: { labId: string; running: boolean }) {
  const view = useIpvsStore((s) => (s.labId === labId ? s.view : null));
  const error = useIpvsStore((s) => (s.labId === labId ? s.error : null));
  const read = useIpvsStore((s) => s.read);

  useEffect(() => {
    if (!running) return;
    const tick = () => {
      // A hidden page (minimised window, other browser tab) does not need fresh numbers.
      if (document.visibilityState !== 'hidden') void read(labId);
    };
    tick();
    const timer = window.setInterval(tick, IPVS_POLL_MS);
    return () => {
      window.clearInterval(timer);
    };
  }, [labId, running, read]);

  return (
    <section className="ipvs-panel" aria-labelledby="ipvs-title">
      <SectionHead title="IPVS table on the director" titleId="ipvs-title">
        {view ? <span className="dim">{`read ${new Date(view.at).toLocaleTimeString()}`}</span> : null}
      </SectionHead>
      <TunCallout />
      {!running ? <p className="empty-panel">Start the lab to read its IPVS table.</p> : null}
      {error ? (
        <ErrorNotice
          title="The IPVS table could not be read"
          error={error}
          onRetry={() => void read(labId)}
        />
      ) : null}
      {view?.error != null ? (
        <ErrorNotice
          title="IPVS is not available on the director"
          error={{
            message: view.error,
            hint: 'Run the preflight from the lab list: the Docker host must provide ip_vs.',
          }}
        />
      ) : null}
      {view && view.error === null ? <IpvsTable view={view} /> : null}
    </section>
  );
}
