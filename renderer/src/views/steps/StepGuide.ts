// The lab's steps in order, with progress, and a reset.
import { createElement as h } from 'react';
import { stepState, useStepsStore } from '../../stores/steps-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { StepItem } from './StepItem.js';

export function StepGuide({ labId, running }: { labId: string; running: boolean }) {
  const steps = useStepsStore((s) => (s.labId === labId ? s.steps : null));
  const error = useStepsStore((s) => s.error);
  const selected = useStepsStore((s) => s.selectedStepId);
  const load = useStepsStore((s) => s.load);
  const resetProgress = useStepsStore((s) => s.resetProgress);
  const resetting = useStepsStore((s) => s.resetting);
  const done = steps?.filter((s) => stepState(s) === 'done').length ?? 0;
  return h(
    'section',
    { className: 'step-guide', 'aria-labelledby': 'steps-title' },
    h(
      'header',
      { className: 'section-head' },
      h('h2', { id: 'steps-title' }, 'Steps'),
      steps ? h('span', { className: 'dim' }, `${done} of ${steps.length} done`) : null,
      h(
        'button',
        {
          type: 'button',
          className: 'small',
          disabled: resetting || !steps,
          title: 'Forget which steps were applied and checked (the lab itself is not changed)',
          onClick: () => {
            if (window.confirm('Reset the recorded progress of every step?')) void resetProgress();
          },
        },
        resetting ? 'Resetting…' : 'Reset progress',
      ),
    ),
    error ? h(ErrorNotice, { title: 'Steps', error, onRetry: () => void load(labId) }) : null,
    steps
      ? h(
          'ol',
          { className: 'steps' },
          steps.map((step, index) =>
            h(StepItem, { key: step.id, step, index, selected: step.id === selected, running }),
          ),
        )
      : error
        ? null
        : h('p', { className: 'dim' }, 'Loading the steps…'),
  );
}
