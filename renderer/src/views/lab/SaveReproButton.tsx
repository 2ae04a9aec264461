// "Save reproduction": a repro file of the running lab (the lab pinned, what was done to it,
// where it ran, what it shows now), downloaded as one YAML file that `lvs-lab replay` takes.
// Writing it runs every check and a round of requests, so it takes a few seconds.
import { useState } from 'react';
import { getApi } from '../../api/index.js';
import { toErrorInfo } from '../../api/errors.js';
import { useUiStore } from '../../stores/ui-store.js';
import { downloadFile } from '../common/download.js';

export function SaveReproButton({ labId }: { labId: string }) {
  const [saving, setSaving] = useState(false);
  const toast = useUiStore((s) => s.toast);
  const save = async () => {
    setSaving(true);
    try {
      const { fileName, text } = await getApi().request('repro.report', labId);
      downloadFile(fileName, text, 'application/yaml');
      toast('info', `Saved ${fileName}: replay it anywhere with lvs-lab replay ${fileName}`);
    } catch (error) {
      toast('error', {
        ...toErrorInfo(error),
        message: `No reproduction saved: ${toErrorInfo(error).message}`,
      });
    } finally {
      setSaving(false);
    }
  };
  return (
    <button
      type="button"
      disabled={saving}
      title="A file with this lab, what was done to it and what it shows now, for lvs-lab replay"
      onClick={() => void save()}
    >
      {saving ? 'Saving reproduction…' : 'Save reproduction'}
    </button>
  );
}
