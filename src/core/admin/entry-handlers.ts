import type { Handlers } from './admin-service.js';
import type { VaultEngine } from './vault-handlers.js';
import { checkReason } from '../../shared/reason.js';
import { VkError } from '../../shared/errors.js';
import type { EntryInput } from '../../shared/model.js';
import type { ParamsOf } from '../../shared/admin-api.js';
import { generateEd25519 } from '../ssh/ssh-key.js';

/** A new Ed25519 key made here when the person asked for one, so no private key crosses a transport. */
function withGeneratedKey(p: ParamsOf<'createEntry'>): EntryInput {
  const { entry } = p;
  if (p.generateSshKey === undefined) return entry;
  const comment = p.generateSshKey.comment ?? '';
  if (!/^[\x20-\x7e]{0,100}$/.test(comment)) throw new VkError('invalid_request', 'the key comment must be at most 100 plain characters (letters, digits, @ . - and spaces)');
  if (entry.kind !== 'ssh_key' || entry.fields?.sshPrivateKey !== undefined) throw new VkError('invalid_request', 'a key is generated only for a new SSH key entry given no private key');
  return { ...entry, fields: { ...entry.fields, sshPrivateKey: generateEd25519(comment) } };
}

type EntryMethods = 'listEntries' | 'getEntry' | 'createEntry' | 'updateEntry' | 'deleteEntry' | 'totpCode';

export function entryHandlers(engine: VaultEngine): Handlers<EntryMethods> {
  const changed = () => engine.emit({ type: 'vaults.changed' });
  return {
    listEntries: async (p) => engine.vaults.listEntries(p.vaultId, p.query),
    getEntry: async (p, ctx) => {
      // Optional for a person, but when given it is held to the agents' rule (plain text, 1..300).
      const given = p.reason;
      const reason = given === undefined || given.trim() === '' ? undefined : checkReason(given);
      // The person sees even an entry put back from an earlier copy, to check it before saving it again.
      const entry = engine.vaults.getEntry(p.vaultId, p.entryId, 'allow');
      // A person's reveal is audited like an agent's read, and committed before the values leave.
      await engine.audit({
        actor: 'person',
        action: 'entry.reveal',
        outcome: 'allowed',
        vaultId: entry.vaultId,
        entryId: entry.id,
        ...(reason ? { reason } : {}),
        detail: { via: ctx.via },
      });
      return entry;
    },
    createEntry: async (p, ctx) => {
      const vault = engine.vaults.getVault(p.vaultId);
      const entry = engine.vaults.createEntry(vault.id, withGeneratedKey(p));
      await engine.audit({ actor: 'person', action: 'entry.create', outcome: 'ok', vaultId: vault.id, entryId: entry.id, detail: { via: ctx.via, kind: entry.kind } });
      changed();
      return entry;
    },
    updateEntry: async (p, ctx) => {
      const vault = engine.vaults.getVault(p.vaultId, 'allow');
      const before = engine.vaults.listEntries(vault.id).find((e) => e.id === p.entryId);
      const { changes } = p;
      const entry = engine.vaults.updateEntry(vault.id, p.entryId, changes);
      const hostsAdded = entry.allowedHosts.filter((h) => !(before?.allowedHosts ?? []).includes(h));
      // A removed setting (null) is named apart, so the row says it was taken off, not changed.
      const cleared = Object.entries(changes).flatMap(([key, v]) => (v === null ? [key] : []));
      await engine.audit({
        actor: 'person',
        action: 'entry.update',
        outcome: 'ok',
        vaultId: vault.id,
        entryId: entry.id,
        detail: { via: ctx.via, version: entry.version, changed: Object.keys(changes), ...(cleared.length ? { cleared } : {}), ...(hostsAdded.length ? { hostsAdded } : {}) },
      });
      changed();
      return entry;
    },
    deleteEntry: async (p, ctx) => {
      const vault = engine.vaults.getVault(p.vaultId, 'allow');
      const { entryId } = p;
      engine.vaults.deleteEntry(vault.id, entryId);
      await engine.audit({ actor: 'person', action: 'entry.delete', outcome: 'ok', vaultId: vault.id, entryId, detail: { via: ctx.via } });
      changed();
      return { deleted: true };
    },
    totpCode: async (p, ctx) => {
      const vault = engine.vaults.getVault(p.vaultId);
      const entry = engine.vaults.getEntry(vault.id, p.entryId);
      const code = engine.vaults.entryTotp(vault.id, entry.id, engine.clock());
      await engine.audit({ actor: 'person', action: 'entry.totp', outcome: 'allowed', vaultId: vault.id, entryId: entry.id, field: 'totp', detail: { via: ctx.via } });
      return code;
    },
  };
}
