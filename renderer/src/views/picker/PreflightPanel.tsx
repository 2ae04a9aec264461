// Can this Docker Engine run the labs? Each check, and how to fix what fails on this platform;
// where the host's kernel lacks what LVS-TUN needs, the built-in kernel in one click.
import type { PreflightReport } from '../../../../shared/preflight.js';
import { useEngineStore } from '../../stores/engine-store.js';
import { usePreflightStore } from '../../stores/preflight-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { BuiltinKernelOffer } from '../engine/BuiltinKernelOffer.js';
import { PreflightItemRow } from './PreflightItemRow.js';

/** The two features no fix inside a container can make up for. */
function lacksTunnelKernel(report: PreflightReport): boolean {
  return report.items.some((item) => (item.id === 'ipvs' || item.id === 'ipip') && item.status === 'fail');
}

export function PreflightPanel() {
  const report = usePreflightStore((s) => s.report);
  const loading = usePreflightStore((s) => s.loading);
  const error = usePreflightStore((s) => s.error);
  const run = usePreflightStore((s) => s.run);
  const engineKind = useEngineStore((s) => s.info?.kind ?? null);
  const rerun = () => {
    void run();
  };
  return (
    <section className="card preflight" aria-labelledby="preflight-title">
      <SectionHead
        title={engineKind === 'builtin' ? 'Docker Engine (built-in kernel)' : 'Docker Engine'}
        titleId="preflight-title"
      >
        <button type="button" onClick={rerun} disabled={loading}>
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </SectionHead>
      {error ? <ErrorNotice title="Preflight failed" error={error} onRetry={rerun} /> : null}
      {!report && loading ? <p className="dim">Checking the engine and its kernel…</p> : null}
      {report ? (
        <div>
          <p className={report.ok ? 'verdict verdict-ok' : 'verdict verdict-fail'}>
            {report.ok
              ? 'This engine can run the labs.'
              : 'This engine cannot run the labs yet: see the fixes below.'}
          </p>
          {engineKind === 'host' && lacksTunnelKernel(report) ? <BuiltinKernelOffer /> : null}
          {report.engine ? (
            <p className="dim engine-line">
              {`Docker ${report.engine.version} on ${report.engine.os}, kernel ${report.engine.kernel}`}
              {` (${report.engine.platform}${report.engine.rootless ? ', rootless' : ''}) at ${report.endpoint}`}
            </p>
          ) : (
            <p className="dim engine-line">{`No engine answered at ${report.endpoint}`}</p>
          )}
          <ul className="preflight-items">
            {report.items.map((item) => (
              <PreflightItemRow key={item.id} item={item} platform={report.engine?.platform ?? null} />
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
