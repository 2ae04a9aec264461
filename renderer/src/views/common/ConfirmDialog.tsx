// A question before something that cannot be undone: what will happen, then Cancel or the action.
// Cancel takes the focus, so that a stray Enter does not delete anything.
import { useRef, type ReactNode } from 'react';
import { Dialog } from './Dialog.js';

export interface ConfirmDialogProps {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  /** For the end-to-end tests, which click it by this id. */
  confirmTestId?: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  confirmTestId,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog label={title} className="confirm-dialog" onClose={onCancel} focusRef={cancelRef}>
      <h2>{title}</h2>
      {children}
      <div className="card-actions confirm-actions">
        <button type="button" ref={cancelRef} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger" data-testid={confirmTestId} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
