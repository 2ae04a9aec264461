// The engine panel over the lab view, from the lab header's "Engine" button.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { EnginePanel } from './EnginePanel.js';

export function EngineDialog({ onClose }: { onClose: () => void }) {
  const dialogRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    dialogRef.current?.focus();
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
        ref={dialogRef}
        className="dialog engine-dialog"
        role="dialog"
        aria-modal={true}
        aria-label="Engine"
        tabIndex={-1}
        onClick={(event) => {
          event.stopPropagation();
        }}
      >
        <EnginePanel onClose={onClose} />
      </div>
    </div>
  );
}
