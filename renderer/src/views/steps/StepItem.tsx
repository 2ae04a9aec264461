// One step: its title and state; when selected, the explanation, the commands, the actions and
// what the last run or check said.
import type { StepInfo } from '../../../../shared/api.js';
import { stepState, useStepsStore, type StepState } from '../../stores/steps-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { CheckResults } from './CheckResults.js';
import { Markdown } from './Markdown.js';
import { RunResults } from './RunResults.js';
import { StepCommands } from './StepCommands.js';

const STATE_LABELS: Record<StepState, string> = {
  done: 'done',
  failed: 'checks failed',
  applied: 'applied',
  pending: 'to do',
};

export interface StepItemProps {
  step: StepInfo;
  index: number;
  selected: boolean;
  running: boolean;
}

export function StepItem({ step, index, selected, running }: StepItemProps) {
  const activity = useStepsStore((s) => s.activity[step.id]);
  const select = useStepsStore((s) => s.select);
  const run = useStepsStore((s) => s.run);
  const check = useStepsStore((s) => s.check);
  const state = stepState(step);
  const busy = activity?.busy ?? null;
  return (
    <li className={`step step-${state}${selected ? ' step-selected' : ''}`} data-step={step.id}>
      <button
        type="button"
        className="step-head"
        aria-expanded={selected}
        onClick={() => {
          select(step.id);
        }}
      >
        <span className="step-number">{String(index + 1)}</span>
        <span className="step-title">{step.title}</span>
        <span className={`step-state state-${state}`}>{STATE_LABELS[state]}</span>
      </button>
      {selected ? (
        <div className="step-body">
          <Markdown source={step.explain} />
          <StepCommands step={step} running={running} />
          <div className="step-actions">
            <button
              type="button"
              className="primary"
              disabled={!running || busy !== null || Object.keys(step.commands).length === 0}
              onClick={() => void run(step.id)}
            >
              {busy === 'run' ? 'Running…' : 'Run for me'}
            </button>
            <button
              type="button"
              disabled={!running || busy !== null || step.checks === 0}
              onClick={() => void check(step.id)}
            >
              {busy === 'check' ? 'Checking…' : `Check (${step.checks})`}
            </button>
            {running ? null : <span className="dim">Start the lab to run and check steps.</span>}
          </div>
          {activity?.error ? (
            <ErrorNotice title="The step could not be run or checked" error={activity.error} />
          ) : null}
          {activity?.run ? <RunResults result={activity.run} /> : null}
          {activity?.check ? <CheckResults result={activity.check} /> : null}
        </div>
      ) : null}
    </li>
  );
}
