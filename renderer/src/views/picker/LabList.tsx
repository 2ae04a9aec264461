// The labs, then the reproductions that build on them.
import type { LabSummary } from '../../../../shared/api.js';
import { groupLabs } from '../../stores/labs-store.js';
import { BrokenLabCard } from './BrokenLabCard.js';
import { LabCard } from './LabCard.js';

export interface LabListProps {
  labs: LabSummary[];
  runningLabIds: Set<string>;
  busy: boolean;
  onStart: (labId: string) => void;
  onOpen: (labId: string) => void;
}

export function LabList({ labs, runningLabIds, busy, onStart, onOpen }: LabListProps) {
  const groups = groupLabs(labs);
  const card = (lab: LabSummary) =>
    lab.error === undefined ? (
      <LabCard
        key={lab.file}
        lab={lab}
        running={runningLabIds.has(lab.id)}
        busy={busy}
        onStart={onStart}
        onOpen={onOpen}
      />
    ) : (
      <BrokenLabCard key={lab.file} lab={lab} />
    );
  return (
    <div className="lab-list">
      <section aria-labelledby="labs-title">
        <h2 id="labs-title">Labs</h2>
        {groups.labs.map(card)}
      </section>
      {groups.reproductions.length === 0 ? null : (
        <section aria-labelledby="repro-title">
          <h2 id="repro-title">Bug reproductions and variations</h2>
          <p className="dim">Each builds on a lab, leaves out or changes a step, and checks the symptom.</p>
          {groups.reproductions.map(card)}
        </section>
      )}
    </div>
  );
}
