// A modal over the page: the overlay closes it on a click outside, Escape closes it from
// anywhere inside, and focus moves into it when it opens (to `focusRef`, or the dialog itself).
import { useEffect, useRef, type KeyboardEvent, type ReactNode, type RefObject } from 'react';

export interface DialogProps {
  label: string;
  className: string;
  onClose: () => void;
  /** What takes the focus when the dialog opens; without it, the dialog itself. */
  focusRef?: RefObject<HTMLElement | null>;
  children?: ReactNode;
}

export function Dialog({ label, className, onClose, focusRef, children }: DialogProps) {
  const dialogRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    (focusRef?.current ?? dialogRef.current)?.focus();
  }, [focusRef]);
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
        className={`dialog ${className}`}
        role="dialog"
        aria-modal={true}
        aria-label={label}
        tabIndex={focusRef === undefined ? -1 : undefined}
        onClick={(event) => {
          event.stopPropagation();
        }}
      >
        {children}
      </div>
    </div>
  );
}
