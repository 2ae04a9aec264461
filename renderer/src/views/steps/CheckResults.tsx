// What a check found: each check's label, and for a failed one the reason in words.
import type { StepCheckResult } from '../../../../shared/results.js';

export function CheckResults({ result }: { result: StepCheckResult }) {
  const failed = result.checks.filter((c) => !c.ok).length;
  return (
    <div className={`check-results ${result.ok ? 'check-ok' : 'check-failed'}`} aria-live="polite">
      <p className="check-verdict">
        {result.ok
          ? `All ${result.checks.length} checks pass.`
          : `${failed} of ${result.checks.length} checks fail.`}
      </p>
      <ul className="checks">
        {result.checks.map((check, i) => (
          <li key={i} className={check.ok ? 'check-pass' : 'check-fail'}>
            <span className="check-mark" aria-label={check.ok ? 'passes' : 'fails'}>
              {check.ok ? '✓' : '✗'}
            </span>
            <span className="check-label">{check.label}</span>
            {!check.ok && check.reason !== undefined ? (
              <div className="check-reason">{check.reason}</div>
            ) : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
