// The "?" overlay: every keyboard shortcut.
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from '../../app/shortcuts.js';
import { useUiStore } from '../../stores/ui-store.js';

export function HelpOverlay() {
  const open = useUiStore((s) => s.helpOpen);
  const setOpen = useUiStore((s) => s.setHelpOpen);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) closeRef.current?.focus();
  }, [open]);
  if (!open) return null;
  const close = () => {
    setOpen(false);
  };
  return (
    <div className="overlay" onClick={close}>
      <div
        className="dialog"
        role="dialog"
        aria-modal={true}
        aria-labelledby="help-title"
        onClick={(event) => {
          event.stopPropagation();
        }}
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="dim">
          Plain keys (?, [, ], c) work outside terminals and text fields; the others work everywhere.
        </p>
        <button type="button" ref={closeRef} onClick={close}>
          Close
        </button>
      </div>
    </div>
  );
}
