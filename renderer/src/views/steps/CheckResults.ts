// What a check found: each check's label, and for a failed one the reason in words.
import { createElement as h } from 'react';
import type { StepCheckResult } from '../../../../shared/results.js';

export function CheckResults({ result }: { result: StepCheckResult }) {
  const failed = result.checks.filter((c) => !c.ok).length;
  return h(
    'div',
    { className: `check-results ${result.ok ? 'check-ok' : 'check-failed'}`, 'aria-live': 'polite' },
    h(
      'p',
      { className: 'check-verdict' },
      result.ok
        ? `All ${result.checks.length} checks pass.`
        : `${failed} of ${result.checks.length} checks fail.`,
    ),
    h(
      'ul',
      { className: 'checks' },
      result.checks.map((check, i) =>
        h(
          'li',
          { key: i, className: check.ok ? 'check-pass' : 'check-fail' },
          h(
            'span',
            { className: 'check-mark', 'aria-label': check.ok ? 'passes' : 'fails' },
            check.ok ? '✓' : '✗',
          ),
          h('span', { className: 'check-label' }, check.label),
          !check.ok && check.reason !== undefined
            ? h('div', { className: 'check-reason' }, check.reason)
            : null,
        ),
      ),
    ),
  );
}
