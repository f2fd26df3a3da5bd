import type { ReactNode } from 'react';
import { useAction } from '../hooks/use-action.js';
import { ErrorNotice } from './error-notice.js';
import { Modal } from './modal.js';

/** "Are you sure?" for destructive actions; shows the engine's error if the action fails. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  readonly open: boolean;
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly onConfirm: () => Promise<unknown>;
  readonly onClose: () => void;
}) {
  const { busy, error, setError, run } = useAction();
  const close = () => {
    setError(undefined);
    onClose();
  };
  const confirm = () =>
    run(async () => {
      await onConfirm();
      close();
    });
  return (
    <Modal open={open} title={title} onClose={close} testId="confirm-dialog">
      <div className="stack">
        {children}
        {error !== undefined && <ErrorNotice error={error} />}
        <div className="actions">
          <button type="button" onClick={close} data-testid="confirm-cancel">
            Cancel
          </button>
          <button type="button" className="danger" disabled={busy} onClick={() => void confirm()} data-testid="confirm-ok">
            {busy ? 'Working…' : confirmLabel}
          </button>
        </div>
      </div>
    </Modal>
  );
}
