/** An in-app confirmation (window.confirm would block the renderer and cannot be styled or tested). */
import { useState, type ReactNode } from 'react';
import { Modal } from './Modal';

export interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  /** Resolves when done; the dialog stays open (busy) until then. */
  readonly onConfirm: () => Promise<void>;
  readonly onCancel: () => void;
  readonly confirmTestId?: string;
}

export function ConfirmDialog({ title, children, confirmLabel, danger, onConfirm, onCancel, confirmTestId }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={title}
      onClose={() => {
        if (!busy) onCancel();
      }}
      className="modal-narrow"
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'button button-danger' : 'button button-primary'}
            data-testid={confirmTestId}
            disabled={busy}
            onClick={() => {
              setBusy(true);
              void onConfirm().finally(() => setBusy(false));
            }}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      {children}
    </Modal>
  );
}
