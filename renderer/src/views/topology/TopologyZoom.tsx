// The topology at its natural size, over the page: the column beside the terminals is narrow
// for labs with many nodes in a row.
import { useRef, type ReactNode } from 'react';
import { Dialog } from '../common/Dialog.js';
import { SectionHead } from '../common/SectionHead.js';

export function TopologyZoom({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children?: ReactNode;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog label={title} className="topology-zoom" onClose={onClose} focusRef={closeRef}>
      <SectionHead title={title}>
        <button type="button" ref={closeRef} onClick={onClose}>
          Close
        </button>
      </SectionHead>
      {children}
    </Dialog>
  );
}
