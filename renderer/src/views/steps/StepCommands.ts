// A step's commands, per node, each with "Type into terminal": the text goes to that node's
// shell without Enter, so the learner reads it and presses Enter.
import { createElement as h } from 'react';
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
  if (nodes.length === 0) return h('p', { className: 'dim' }, 'Nothing to type in this step: only checks.');
  return h(
    'div',
    { className: 'step-commands' },
    nodes.map(([node, commands]) =>
      h(
        'div',
        { key: node, className: 'node-commands' },
        h('div', { className: 'node-tag' }, node),
        h(
          'ul',
          null,
          commands.map((command, i) =>
            h(
              'li',
              { key: i, className: 'command' },
              h('code', null, command),
              h(
                'button',
                {
                  type: 'button',
                  className: 'small',
                  disabled: !running,
                  title: running ? `Type into ${node}'s terminal (without Enter)` : 'Start the lab first',
                  onClick: () => {
                    void typeIntoTerminal(node, command);
                  },
                },
                'Type into terminal',
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
