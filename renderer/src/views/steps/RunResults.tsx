// What "Run for me" did: each command with its exit code and output, and what was skipped.
import type { StepRunResult } from '../../../../shared/results.js';

export function RunResults({ result }: { result: StepRunResult }) {
  return (
    <details className="run-results" open={!result.ok}>
      <summary>{result.ok ? `Ran ${result.commands.length} commands` : 'A command failed'}</summary>
      <ol className="run-commands">
        {result.commands.map((c, i) => (
          <li key={i} className={c.exitCode === 0 || c.alreadyDone ? 'run-ok' : 'run-failed'}>
            <div>
              <span className="node-tag">{c.node}</span> <code>{c.command}</code>
            </div>
            <div className="dim">
              {c.alreadyDone ? `exit ${c.exitCode}: already done` : `exit ${c.exitCode}`}
            </div>
            {c.output.trim() === '' ? null : <pre className="run-output">{c.output}</pre>}
          </li>
        ))}
      </ol>
      {result.skipped.length === 0 ? null : (
        <div className="run-skipped">
          <p>Not run, because an earlier command on the same node failed:</p>
          <ul>
            {result.skipped.map((s, i) => (
              <li key={i}>
                <span className="node-tag">{s.node}</span> <code>{s.command}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </details>
  );
}
