import type { AdminEvent, ApprovalSetting, AuditRecord } from '../../shared/model.js';
import type { VaultStore } from '../vault/vault-store.js';
import type { Handlers } from './admin-service.js';

type VaultMethods = 'listVaults' | 'createVault' | 'updateVault' | 'deleteVault';

/** What the vault and entry handlers use of the engine: the vault store, the clock, the audit and events. */
export interface VaultEngine {
  readonly vaults: VaultStore;
  readonly clock: () => number;
  audit(record: AuditRecord): Promise<unknown>;
  emit(event: AdminEvent): void;
}

export function vaultHandlers(engine: VaultEngine): Handlers<VaultMethods> {
  const changed = () => engine.emit({ type: 'vaults.changed' });
  return {
    listVaults: async () => engine.vaults.listVaults(),
    createVault: async (p, ctx) => {
      const vault = engine.vaults.createVault(p.vault);
      await engine.audit({ actor: 'person', action: 'vault.create', outcome: 'ok', vaultId: vault.id, detail: { via: ctx.via, approval: vault.approval.mode } });
      changed();
      return vault;
    },
    updateVault: async (p, ctx) => {
      // The person's re-save is how a vault put back from an earlier copy is healed, so it opens here.
      const before = engine.vaults.getVault(p.vaultId, 'allow');
      const after = engine.vaults.updateVault(before.id, p.changes);
      await engine.audit({
        actor: 'person',
        action: 'vault.update',
        outcome: 'ok',
        vaultId: after.id,
        detail: { via: ctx.via, version: engine.vaults.vaultVersion(after.id), ...approvalChange(before.approval, after.approval), renamed: before.name !== after.name },
      });
      changed();
      return after;
    },
    deleteVault: async (p, ctx) => {
      const vault = engine.vaults.getVault(p.vaultId, 'allow');
      engine.vaults.deleteVault(vault.id);
      await engine.audit({ actor: 'person', action: 'vault.delete', outcome: 'ok', vaultId: vault.id, detail: { via: ctx.via, entries: vault.entryCount } });
      changed();
      return { deleted: true };
    },
  };
}

function approvalChange(before: ApprovalSetting, after: ApprovalSetting): Record<string, unknown> {
  const describe = (a: ApprovalSetting) => (a.mode === 'once_per_token' ? `once_per_token:${a.minutes ?? 0}` : a.mode);
  return describe(before) === describe(after) ? {} : { approvalFrom: describe(before), approvalTo: describe(after) };
}
