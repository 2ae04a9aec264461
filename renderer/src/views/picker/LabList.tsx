// The labs in two groups: LVS Lab's own (the labs, then the reproductions that build on them),
// and the user's labs folder with the import button.
import { useEffect, useRef } from 'react';
import type { LabSummary } from '../../../../shared/api.js';
import { groupLabs } from '../../stores/labs-store.js';
import { useLabFilesStore } from '../../stores/lab-files-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { SectionHead } from '../common/SectionHead.js';
import { BrokenLabCard } from './BrokenLabCard.js';
import { ImportLabButton } from './ImportLabButton.js';
import { LabCard } from './LabCard.js';

export interface LabListProps {
  labs: LabSummary[];
  runningLabIds: Set<string>;
  busy: boolean;
  onStart: (labId: string) => void;
  onOpen: (labId: string) => void;
}

/** Why the last import was refused, with the bundle's file:line issues, until dismissed. */
function ImportRefusal() {
  const error = useLabFilesStore((s) => s.importError);
  const dismiss = useLabFilesStore((s) => s.dismissImportError);
  const box = useRef<HTMLDivElement>(null);
  // The picker is long: a refusal below the fold would go unseen after a drop at the top.
  useEffect(() => {
    const element = box.current;
    // Test DOMs (jsdom) have no scrolling at all.
    if (element && 'scrollIntoView' in element && typeof element.scrollIntoView === 'function')
      element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [error]);
  if (error === null) return null;
  return (
    <div data-testid="import-error" ref={box}>
      <ErrorNotice title="The bundle was not imported" error={error} onDismiss={dismiss} />
    </div>
  );
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
      <section aria-labelledby="builtin-labs-title" data-testid="builtin-labs">
        <h2 id="builtin-labs-title">{"LVS Lab's labs"}</h2>
        {groups.labs.map(card)}
        {groups.reproductions.length === 0 ? null : (
          <section aria-labelledby="repro-title">
            <h3 id="repro-title" className="lab-group-subtitle">
              Bug reproductions and variations
            </h3>
            <p className="dim">Each builds on a lab, leaves out or changes a step, and checks the symptom.</p>
            {groups.reproductions.map(card)}
          </section>
        )}
      </section>
      <section aria-labelledby="user-labs-title" data-testid="user-labs">
        <SectionHead title="Your labs" titleId="user-labs-title">
          <ImportLabButton />
        </SectionHead>
        <ImportRefusal />
        {groups.user.length === 0 ? (
          <p className="dim user-labs-empty">Import a bundle, or make your own copy of a lab.</p>
        ) : (
          groups.user.map(card)
        )}
      </section>
    </div>
  );
}
