// What the loader and the linter say about a lab file, each finding as file:line:column so that
// a trainer can jump to it in their editor.
import type { LabSummary } from '../../../../shared/api.js';

/** The loader's error, one finding per line (blank lines dropped). */
export function errorLines(error: string): string[] {
  return error
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function Findings({ lines, className }: { lines: readonly string[]; className: string }) {
  return (
    <ul className={`lab-findings ${className}`}>
      {lines.map((line, i) => (
        <li key={i}>
          <code>{line}</code>
        </li>
      ))}
    </ul>
  );
}

/** Why a lab does not load: every error, always shown (the card has nothing else to offer). */
export function LabErrors({ lab }: { lab: LabSummary }) {
  const lines = errorLines(lab.error ?? '');
  if (lines.length === 0) return null;
  return (
    <div data-testid={`lab-errors-${lab.id}`}>
      <Findings lines={lines} className="lab-errors" />
    </div>
  );
}

/** Lint warnings: the lab loads, so they are folded away behind their count. */
export function LabWarnings({ lab }: { lab: LabSummary }) {
  const warnings = lab.warnings ?? [];
  if (warnings.length === 0) return null;
  const count = `${warnings.length} lint warning${warnings.length === 1 ? '' : 's'}`;
  return (
    <details className="lab-warnings" data-testid={`lab-warnings-${lab.id}`}>
      <summary>{count}</summary>
      <Findings lines={warnings} className="lab-warning-list" />
    </details>
  );
}
