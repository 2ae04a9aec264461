// The picker takes a .lvslab file dropped anywhere on it: highlighted while a file is dragged
// over, announced to screen readers, and the first file only (one bundle is one lab).
import { useRef, useState, type DragEvent, type ReactNode } from 'react';
import { useLabFilesStore } from '../../stores/lab-files-store.js';
import { useUiStore } from '../../stores/ui-store.js';

/** Only drags that carry files: text or a link dragged across the page is none of ours. */
function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes('Files');
}

export interface BundleDropZoneProps {
  className: string;
  children?: ReactNode;
}

export function BundleDropZone({ className, children }: BundleDropZoneProps) {
  const [over, setOver] = useState(false);
  // dragenter and dragleave fire for every child crossed: count them to know when it truly left.
  const depth = useRef(0);
  const importBundle = useLabFilesStore((s) => s.importBundle);
  const toast = useUiStore((s) => s.toast);

  const leave = () => {
    depth.current = 0;
    setOver(false);
  };
  const drop = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    // Without this the browser opens the file in place of the page.
    event.preventDefault();
    leave();
    const files = Array.from(event.dataTransfer.files);
    const [first] = files;
    if (first === undefined) return;
    if (files.length > 1)
      toast('info', `Only the first file, ${first.name}, is imported: one bundle at a time.`);
    void importBundle(first);
  };

  return (
    <main
      className={`${className} drop-zone${over ? ' drop-zone-active' : ''}`}
      data-testid="bundle-drop-zone"
      aria-describedby="drop-zone-hint"
      onDragEnter={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        // Saying "copy" here is what lets the drop happen at all.
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(event) => {
        if (!carriesFiles(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={drop}
    >
      <p id="drop-zone-hint" className="sr-only">
        Drop a .lvslab lab bundle on this page to import it.
      </p>
      <div className="sr-only" role="status" aria-live="polite">
        {over ? 'Release to import the lab bundle.' : ''}
      </div>
      {over ? (
        <div className="drop-hint" aria-hidden={true}>
          Drop the .lvslab bundle to import it into your labs
        </div>
      ) : null}
      {children}
    </main>
  );
}
