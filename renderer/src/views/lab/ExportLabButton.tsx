// "Export": the lab as a .lvslab bundle to hand to students, who import it in their LVS Lab.
// In the picker on the user's labs, and in the lab header for any lab (a shipped one too).
import { useLabFilesStore } from '../../stores/lab-files-store.js';
import { useUiStore } from '../../stores/ui-store.js';
import { downloadBase64 } from '../common/download.js';

export function ExportLabButton({ labId }: { labId: string }) {
  const busy = useLabFilesStore((s) => s.busy[labId]);
  const exportBundle = useLabFilesStore((s) => s.exportBundle);
  const toast = useUiStore((s) => s.toast);
  const save = async () => {
    const bundle = await exportBundle(labId);
    if (bundle === null) return;
    downloadBase64(bundle, 'application/octet-stream');
    toast('info', `Saved ${bundle.fileName}: open it in LVS Lab with Import lab…`);
  };
  return (
    <button
      type="button"
      data-testid={`lab-export-${labId}`}
      disabled={busy !== undefined}
      title="Save this lab as a .lvslab bundle, to hand to students"
      onClick={() => void save()}
    >
      {busy === 'export' ? 'Exporting…' : 'Export'}
    </button>
  );
}
