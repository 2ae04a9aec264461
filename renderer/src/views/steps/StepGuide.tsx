// The lab's steps in order, with progress, and a reset.
import { stepState, useStepsStore } from '../../stores/steps-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { StepItem } from './StepItem.js';

export function StepGuide({ labId, running }: { labId: string; running: boolean }) {
  const steps = useStepsStore((s) => (s.labId === labId ? s.steps : null));
  const error = useStepsStore((s) => s.error);
  const selected = useStepsStore((s) => s.selectedStepId);
  const load = useStepsStore((s) => s.load);
  const resetProgress = useStepsStore((s) => s.resetProgress);
  const resetting = useStepsStore((s) => s.resetting);
  const done = steps?.filter((s) => stepState(s) === 'done').length ?? 0;
  return (
    <section className="step-guide" aria-labelledby="steps-title">
      <SectionHead title="Steps" titleId="steps-title">
        {steps ? <span className="dim">{`${done} of ${steps.length} done`}</span> : null}
        <button
          type="button"
          className="small"
          disabled={resetting || !steps}
          title="Forget which steps were applied and checked (the lab itself is not changed)"
          onClick={() => {
            if (window.confirm('Reset the recorded progress of every step?')) void resetProgress();
          }}
        >
          {resetting ? 'Resetting…' : 'Reset progress'}
        </button>
      </SectionHead>
      {error ? <ErrorNotice title="Steps" error={error} onRetry={() => void load(labId)} /> : null}
      {steps ? (
        <ol className="steps">
          {steps.map((step, index) => (
            <StepItem
              key={step.id}
              step={step}
              index={index}
              selected={step.id === selected}
              running={running}
            />
          ))}
        </ol>
      ) : error ? null : (
        <p className="dim">Loading the steps…</p>
      )}
    </section>
  );
}
