// What "Run for me" did: each command with its exit code and output, and what was skipped.
import { createElement as h } from 'react';
import type { StepRunResult } from '../../../../shared/results.js';

export function RunResults({ result }: { result: StepRunResult }) {
  return h(
    'details',
    { className: 'run-results', open: !result.ok },
    h('summary', null, result.ok ? `Ran ${result.commands.length} commands` : 'A command failed'),
    h(
      'ol',
      { className: 'run-commands' },
      result.commands.map((c, i) =>
        h(
          'li',
          { key: i, className: c.exitCode === 0 || c.alreadyDone ? 'run-ok' : 'run-failed' },
          h('div', null, h('span', { className: 'node-tag' }, c.node), ' ', h('code', null, c.command)),
          h(
            'div',
            { className: 'dim' },
            c.alreadyDone ? `exit ${c.exitCode}: already done` : `exit ${c.exitCode}`,
          ),
          c.output.trim() === '' ? null : h('pre', { className: 'run-output' }, c.output),
        ),
      ),
    ),
    result.skipped.length === 0
      ? null
      : h(
          'div',
          { className: 'run-skipped' },
          h('p', null, 'Not run, because an earlier command on the same node failed:'),
          h(
            'ul',
            null,
            result.skipped.map((s, i) =>
              h(
                'li',
                { key: i },
                h('span', { className: 'node-tag' }, s.node),
                ' ',
                h('code', null, s.command),
              ),
            ),
          ),
        ),
  );
}
