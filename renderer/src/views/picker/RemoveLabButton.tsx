// "Remove": deletes a lab from the user's labs folder, after asking (there is no undo; an export
// first keeps a copy). Shipped labs have no such button: they cannot be removed.
import { useState } from 'react';
import type { LabSummary } from '../../../../shared/api.js';
import { useLabFilesStore } from '../../stores/lab-files-store.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';

export function RemoveLabButton({ lab }: { lab: LabSummary }) {
  const [confirming, setConfirming] = useState(false);
  const busy = useLabFilesStore((s) => s.busy[lab.id]);
  const remove = useLabFilesStore((s) => s.remove);
  return (
    <>
      <button
        type="button"
        className="danger"
        data-testid={`lab-remove-${lab.id}`}
        aria-haspopup="dialog"
        disabled={busy !== undefined}
        onClick={() => {
          setConfirming(true);
        }}
      >
        {busy === 'remove' ? 'Removing…' : 'Remove'}
      </button>
      {confirming ? (
        <ConfirmDialog
          title={`Remove ${lab.id}?`}
          confirmLabel="Remove"
          confirmTestId={`lab-remove-confirm-${lab.id}`}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={() => {
            setConfirming(false);
            void remove(lab.id);
          }}
        >
          <p>
            {'Its file is deleted from your labs folder: '}
            <code>{lab.file}</code>
          </p>
          <p className="dim">To keep a copy, export it first.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
