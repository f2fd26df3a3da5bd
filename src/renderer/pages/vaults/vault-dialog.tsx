import { useEffect, useState } from 'react';
import { APPROVAL_MODES, type ApprovalMode, type ApprovalSetting, type CanaryTrip, type VaultInfo, type VaultInput } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ChoiceSelect, DialogActions } from '../../components/form-parts.js';
import { FieldProblem } from '../../components/field-problem.js';
import { MAX_APPROVAL_MINUTES } from '../../../shared/admin-schemas/limits.js';
import { MAX_VAULT_NAME_CHARS, nameProblem } from '../../../shared/field-checks.js';
import { Modal } from '../../components/modal.js';
import { useAction } from '../../hooks/use-action.js';
import { VaultBadge } from '../../components/vault-badge.js';
import { VAULT_COLOURS, VAULT_ICON_NAMES } from '../../lib/vault-icons.js';
import { CANARY_TITLE, canaryEntry } from '../../lib/canary-entry.js';

const MODE_LABELS: Readonly<Record<ApprovalMode, string>> = {
  none: 'Never ask',
  every_access: 'Ask on every access',
  once_per_token: 'Ask once per agent, then allow for a while',
};

interface VaultFormState {
  readonly name: string;
  readonly icon: string;
  readonly colour: string;
  readonly mode: ApprovalMode;
  readonly minutes: number;
  /** New vaults only: plant a canary entry, and what touching it does. */
  readonly canary: CanaryTrip | 'none';
}

function initial(vault: VaultInfo | undefined): VaultFormState {
  return {
    name: vault?.name ?? '',
    icon: vault?.icon ?? 'key',
    colour: vault?.colour ?? VAULT_COLOURS[0],
    mode: vault?.approval.mode ?? 'none',
    minutes: vault?.approval.minutes ?? 60,
    canary: 'none',
  };
}

function toInput(s: VaultFormState): VaultInput & { readonly approval: ApprovalSetting } {
  const approval: ApprovalSetting = s.mode === 'once_per_token' ? { mode: s.mode, minutes: s.minutes } : { mode: s.mode };
  return { name: s.name.trim(), icon: s.icon, colour: s.colour, approval };
}

/** Create a vault, or edit one (name, icon, colour, approval). Lowering approval is a grant: the engine asks for proof. */
export function VaultDialog({
  open,
  vault,
  onClose,
  onSaved,
}: {
  readonly open: boolean;
  readonly vault?: VaultInfo;
  readonly onClose: () => void;
  readonly onSaved: (vault: VaultInfo) => void;
}) {
  const [form, setForm] = useState(() => initial(vault));
  const { busy, error, setError, submit } = useAction();
  useEffect(() => {
    if (open) {
      setForm(initial(vault));
      setError(undefined);
    }
  }, [open, vault]);
  const set = (changes: Partial<VaultFormState>) => setForm((f) => ({ ...f, ...changes }));
  // An untouched empty name is not yet a mistake; anything typed is checked as the engine will.
  const nameIssue = form.name === '' ? undefined : nameProblem(form.name, 'The vault name', MAX_VAULT_NAME_CHARS);

  const save = async () => {
    const input = toInput(form);
    const saved = vault === undefined ? await admin.createVault({ vault: input }) : await admin.updateVault({ vaultId: vault.id, changes: input });
    if (vault === undefined && form.canary !== 'none') await admin.createEntry({ vaultId: saved.id, entry: canaryEntry(form.canary) });
    onSaved(saved);
    onClose();
  };

  return (
    <Modal open={open} title={vault === undefined ? 'New vault' : `Edit ${vault.name}`} onClose={onClose} testId="vault-dialog">
      <form className="stack" onSubmit={(e) => void submit(e, save)}>
        <div className="row">
          <VaultBadge icon={form.icon} colour={form.colour} name={form.name} size={40} />
          <label className="field grow">
            <span>Name</span>
            <input value={form.name} onChange={(e) => set({ name: e.target.value })} required autoFocus aria-invalid={nameIssue !== undefined} data-testid="vault-name" />
            <FieldProblem problem={nameIssue} testId="vault-name-problem" />
          </label>
        </div>
        <fieldset className="choices">
          <legend>Icon</legend>
          {VAULT_ICON_NAMES.map((icon) => (
            <label key={icon} className="swatch" title={icon}>
              <input type="radio" name="vault-icon" value={icon} checked={form.icon === icon} onChange={() => set({ icon })} />
              <VaultBadge icon={icon} colour={form.colour} name={form.name} size={28} />
              <span className="sr-only">{icon}</span>
            </label>
          ))}
        </fieldset>
        <fieldset className="choices">
          <legend>Colour</legend>
          {VAULT_COLOURS.map((colour) => (
            <label key={colour} className="swatch" title={colour}>
              <input type="radio" name="vault-colour" value={colour} checked={form.colour === colour} onChange={() => set({ colour })} />
              <svg width="28" height="28" viewBox="0 0 28 28" aria-hidden="true">
                <circle cx="14" cy="14" r="12" fill={colour} />
              </svg>
              <span className="sr-only">{colour}</span>
            </label>
          ))}
          <label className="swatch">
            <span className="sr-only">Other colour</span>
            <input type="color" value={form.colour} onChange={(e) => set({ colour: e.target.value.toLowerCase() })} />
          </label>
        </fieldset>
        <label className="field">
          <span>Approval before a secret leaves</span>
          <ChoiceSelect value={form.mode} choices={APPROVAL_MODES} label={(m) => MODE_LABELS[m]} onChange={(mode) => set({ mode })} testId="vault-approval-mode" />
        </label>
        {form.mode === 'once_per_token' && (
          <label className="field">
            <span>Allow for (minutes, 1–{MAX_APPROVAL_MINUTES})</span>
            <input
              type="number"
              min={1}
              max={MAX_APPROVAL_MINUTES}
              value={form.minutes}
              onChange={(e) => set({ minutes: Number(e.target.value) })}
              data-testid="vault-approval-minutes"
            />
          </label>
        )}
        {vault === undefined && (
          <label className="field">
            <span>Plant a canary: an entry “{CANARY_TITLE}” no agent should ever touch</span>
            <select value={form.canary} onChange={(e) => set({ canary: e.target.value as VaultFormState['canary'] })} data-testid="vault-canary">
              <option value="none">No canary</option>
              <option value="revoke">Plant it; the first agent to touch it loses its token</option>
              <option value="pause">Plant it; the first agent to touch it is paused</option>
            </select>
          </label>
        )}
        <DialogActions error={error} busy={busy} onCancel={onClose} label={vault === undefined ? 'Create vault' : 'Save'} busyLabel="Saving…" testId="vault-save" />
      </form>
    </Modal>
  );
}
