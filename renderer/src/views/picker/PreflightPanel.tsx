// Can this Docker Engine run the labs? Each check, and how to fix what fails on this platform.
import { usePreflightStore } from '../../stores/preflight-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { PreflightItemRow } from './PreflightItemRow.js';

export function PreflightPanel() {
  const report = usePreflightStore((s) => s.report);
  const loading = usePreflightStore((s) => s.loading);
  const error = usePreflightStore((s) => s.error);
  const run = usePreflightStore((s) => s.run);
  const rerun = () => {
    void run();
  };
  return (
    <section className="card preflight" aria-labelledby="preflight-title">
      <SectionHead title="Docker Engine" titleId="preflight-title">
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
