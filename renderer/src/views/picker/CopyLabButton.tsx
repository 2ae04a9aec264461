// "Make my own copy": a shipped lab is read-only; its copy in the user's labs folder can be
// changed in any editor, and the picker follows the edits.
import { useLabFilesStore } from '../../stores/lab-files-store.js';

export function CopyLabButton({ labId }: { labId: string }) {
  const busy = useLabFilesStore((s) => s.busy[labId]);
  const copy = useLabFilesStore((s) => s.copy);
  return (
    <button
      type="button"
      data-testid={`lab-copy-${labId}`}
      disabled={busy !== undefined}
      title="Copy this lab into your labs folder, to change it"
      onClick={() => void copy(labId)}
    >
      {busy === 'copy' ? 'Copying…' : 'Make my own copy'}
    </button>
  );
}
