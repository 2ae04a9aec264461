// "Import lab…": a .lvslab bundle chosen with the page's own file input. Electron shows the same
// native dialog for it as for a download, so both shells take this one path (and the end-to-end
// test sets its file directly on the hidden input).
import { useRef } from 'react';
import { BUNDLE_EXTENSION, useLabFilesStore } from '../../stores/lab-files-store.js';

export function ImportLabButton() {
  const inputRef = useRef<HTMLInputElement>(null);
  const importing = useLabFilesStore((s) => s.importing);
  const importBundle = useLabFilesStore((s) => s.importBundle);
  return (
    <>
      <button
        type="button"
        data-testid="import-lab"
        disabled={importing}
        title={`Add a ${BUNDLE_EXTENSION} bundle to your labs (or drop the file on this page)`}
        onClick={() => inputRef.current?.click()}
      >
        {importing ? 'Importing…' : 'Import lab…'}
      </button>
      <input
        ref={inputRef}
        type="file"
        accept={BUNDLE_EXTENSION}
        hidden
        disabled={importing}
        aria-label="Lab bundle to import"
        data-testid="import-file-input"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          // Cleared so that choosing the same file again (after fixing it) fires a change.
          event.currentTarget.value = '';
          if (file !== undefined) void importBundle(file);
        }}
      />
    </>
  );
}
