// What a break or fix did: done, or which of the fault's commands failed and with what output,
// and for a failed break whether what it had changed was put back.
import type { FaultRunResult } from '../../../../shared/results.js';

export function FaultOutcome({ result }: { result: FaultRunResult }) {
  const failed = result.commands.filter((c) => c.exitCode !== 0 && !c.alreadyDone);
  const done = result.action === 'break' ? 'Broken' : 'Fixed';
  return (
    <div className={result.ok ? 'fault-outcome ok' : 'fault-outcome failed'} role="status">
      <p>
        {result.ok
          ? `${done}: ${result.fault} on ${result.node}.`
          : `Could not ${result.action} ${result.fault} on ${result.node}.`}
      </p>
      {failed.map((c, i) => (
        <pre key={i} className="fault-output">{`$ ${c.command}\n${c.output || `exit ${c.exitCode}`}`}</pre>
      ))}
      {result.rolledBack === undefined ? null : (
        <p>
          {result.rolledBack
            ? 'What it had changed was put back.'
            : 'What it had changed could not be put back: it stays marked broken, so Fix can try again.'}
        </p>
      )}
    </div>
  );
}
