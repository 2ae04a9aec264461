// What can be done with a lab's file from its card. A shipped lab is read-only: it can be copied
// into the user's labs folder. A user's lab can be exported as a bundle, or removed. A lab that
// does not load has no valid lab to copy or hand on: it can only be removed, if it is theirs.
import type { LabSummary } from '../../../../shared/api.js';
import { ExportLabButton } from '../lab/ExportLabButton.js';
import { CopyLabButton } from './CopyLabButton.js';
import { RemoveLabButton } from './RemoveLabButton.js';

export function LabFileActions({ lab }: { lab: LabSummary }) {
  if (lab.source === 'user') {
    return (
      <>
        {lab.error === undefined ? <ExportLabButton labId={lab.id} /> : null}
        <RemoveLabButton lab={lab} />
      </>
    );
  }
  return lab.error === undefined ? <CopyLabButton labId={lab.id} /> : null;
}
