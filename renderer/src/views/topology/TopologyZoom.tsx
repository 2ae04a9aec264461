// The topology at its natural size, over the page: the column beside the terminals is narrow
// for labs with many nodes in a row.
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
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
  useEffect(() => {
    closeRef.current?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  };
  return (
    <div className="overlay" onClick={onClose} onKeyDown={onKeyDown}>
      <div
        className="dialog topology-zoom"
        role="dialog"
        aria-modal={true}
        aria-label={title}
        onClick={(event) => {
          event.stopPropagation();
        }}
      >
        <SectionHead title={title}>
          <button type="button" ref={closeRef} onClick={onClose}>
            Close
          </button>
        </SectionHead>
        {children}
      </div>
    </div>
  );
}
