// Can this Docker Engine run the labs? Each check, and how to fix what fails on this platform.
import { createElement as h } from 'react';
import { usePreflightStore } from '../../stores/preflight-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { PreflightItemRow } from './PreflightItemRow.js';

export function PreflightPanel() {
  const report = usePreflightStore((s) => s.report);
  const loading = usePreflightStore((s) => s.loading);
  const error = usePreflightStore((s) => s.error);
  const run = usePreflightStore((s) => s.run);
  const rerun = () => {
    void run();
  };
  return h(
    'section',
    { className: 'card preflight', 'aria-labelledby': 'preflight-title' },
    h(
      'header',
      { className: 'section-head' },
      h('h2', { id: 'preflight-title' }, 'Docker Engine'),
      h(
        'button',
        { type: 'button', onClick: rerun, disabled: loading },
        loading ? 'Checking…' : 'Check again',
      ),
    ),
    error ? h(ErrorNotice, { title: 'Preflight failed', error, onRetry: rerun }) : null,
    !report && loading ? h('p', { className: 'dim' }, 'Checking the engine and its kernel…') : null,
    report
      ? h(
          'div',
          null,
          h(
            'p',
            { className: report.ok ? 'verdict verdict-ok' : 'verdict verdict-fail' },
            report.ok
              ? 'This engine can run the labs.'
              : 'This engine cannot run the labs yet: see the fixes below.',
          ),
          report.engine
            ? h(
                'p',
                { className: 'dim engine-line' },
                `Docker ${report.engine.version} on ${report.engine.os}, kernel ${report.engine.kernel}`,
                ` (${report.engine.platform}${report.engine.rootless ? ', rootless' : ''}) at ${report.endpoint}`,
              )
            : h('p', { className: 'dim engine-line' }, `No engine answered at ${report.endpoint}`),
          h(
            'ul',
            { className: 'preflight-items' },
            report.items.map((item) =>
              h(PreflightItemRow, { key: item.id, item, platform: report.engine?.platform ?? null }),
            ),
          ),
        )
      : null,
  );
}
