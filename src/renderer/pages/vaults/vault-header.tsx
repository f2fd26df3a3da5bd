import type { VaultInfo } from '../../../shared/model.js';
import { VaultBadge } from '../../components/vault-badge.js';
import { describeApproval } from '../../lib/approval-text.js';

export function VaultHeader({ vault, onEdit, onDelete }: { readonly vault: VaultInfo; readonly onEdit: () => void; readonly onDelete: () => void }) {
  return (
    <header className="row spread vault-header">
      <div className="row">
        <VaultBadge icon={vault.icon} colour={vault.colour} name={vault.name} size={36} />
        <div>
          <h2 data-testid="vault-title">{vault.name}</h2>
          <p className="muted small" data-testid="vault-approval">
            {describeApproval(vault.approval)}
          </p>
        </div>
      </div>
      <div className="row">
        <button type="button" onClick={onEdit} data-testid="vault-edit">
          Edit vault
        </button>
        <button type="button" className="danger" onClick={onDelete} data-testid="vault-delete">
          Delete
        </button>
      </div>
    </header>
  );
}
