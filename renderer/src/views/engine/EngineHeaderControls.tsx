// In the lab header: which engine the lab runs on, and a button that opens the engine panel.
import { useState } from 'react';
import { EngineBadge } from './EngineBadge.js';
import { EngineDialog } from './EngineDialog.js';

export function EngineHeaderControls() {
  const [open, setOpen] = useState(false);
  return (
    <div className="engine-header">
      <EngineBadge />
      <button
        type="button"
        className="header-button"
        aria-haspopup="dialog"
        title="Which engine runs the labs; the built-in kernel's start, stop and logs"
        onClick={() => {
          setOpen(true);
        }}
      >
        Engine
      </button>
      {open ? (
        <EngineDialog
          onClose={() => {
            setOpen(false);
          }}
        />
      ) : null}
    </div>
  );
}
