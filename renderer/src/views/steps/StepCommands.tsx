// A step's commands, per node, each with "Type into terminal": the text goes to that node's
// shell without Enter, so the learner reads it and presses Enter.
import type { StepInfo } from '../../../../shared/api.js';
import { getTerminalRegistry } from '../../terminal/registry-instance.js';
import { useTerminalsStore } from '../../stores/terminals-store.js';
import { useUiStore } from '../../stores/ui-store.js';

export async function typeIntoTerminal(node: string, command: string): Promise<void> {
  // Show the node's terminal first, so that it is laid out before the shell starts.
  useUiStore.getState().setPanel('terminals');
  useTerminalsStore.getState().setActive(node);
  await getTerminalRegistry().typeInto(node, command);
}

export function StepCommands({ step, running }: { step: StepInfo; running: boolean }) {
  const nodes = Object.entries(step.commands);
  if (nodes.length === 0) return <p className="dim">Nothing to type in this step: only checks.</p>;
  return (
    <div className="step-commands">
      {nodes.map(([node, commands]) => (
        <div key={node} className="node-commands">
          <div className="node-tag">{node}</div>
          <ul>
            {commands.map((command, i) => (
              <li key={i} className="command">
                <code>{command}</code>
                <button
                  type="button"
                  className="small"
                  disabled={!running}
                  title={running ? `Type into ${node}'s terminal (without Enter)` : 'Start the lab first'}
                  onClick={() => {
                    void typeIntoTerminal(node, command);
                  }}
                >
                  Type into terminal
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
