import type { TokenAction, VaultInfo } from '../../../shared/model.js';
import { VaultBadge } from '../../components/vault-badge.js';
import { FieldProblem } from '../../components/field-problem.js';
import { MAX_APPROVAL_MINUTES } from '../../../shared/admin-schemas/limits.js';
import { MAX_TOKEN_NAME_CHARS, nameProblem } from '../../../shared/field-checks.js';
import type { ApprovalChoice, TokenForm } from '../../lib/token-form.js';
import { LifespanPicker } from './lifespan-picker.js';
import { TokenRulesFields } from './token-rules-fields.js';

type Set = (changes: Partial<TokenForm>) => void;

/** Every choice of the wizard's second step: name, vaults, actions, lifespan, approval, binding, limits. */
export function TokenFormFields({ form, set, vaults }: { readonly form: TokenForm; readonly set: Set; readonly vaults: readonly VaultInfo[] }) {
  return (
    <>
      <label className="field">
        <span>Agent name (shown in prompts and the audit log)</span>
        <input value={form.name} onChange={(e) => set({ name: e.target.value })} required data-testid="token-name" />
        <FieldProblem problem={form.name === '' ? undefined : nameProblem(form.name, 'The agent name', MAX_TOKEN_NAME_CHARS)} testId="token-name-problem" />
      </label>
      <VaultChoice form={form} set={set} vaults={vaults} />
      <ActionChoice form={form} set={set} />
      <LifespanPicker seconds={form.lifespanSeconds} onChange={(lifespanSeconds) => set({ lifespanSeconds })} />
      <ApprovalChoiceField form={form} set={set} />
      <BindingChoice form={form} set={set} />
      <fieldset className="row">
        <legend>Limits (leave empty for none)</legend>
        <label className="field">
          <span>Max uses</span>
          <input inputMode="numeric" value={form.maxUses} onChange={(e) => set({ maxUses: e.target.value })} data-testid="token-max-uses" />
        </label>
        <label className="field">
          <span>Requests per minute</span>
          <input inputMode="numeric" value={form.requestsPerMinute} onChange={(e) => set({ requestsPerMinute: e.target.value })} data-testid="token-rpm" />
        </label>
      </fieldset>
      <label className="field">
        <span>Through the HTTPS proxy, hosts no entry allows are</span>
        <select value={form.proxyOtherHosts} onChange={(e) => set({ proxyOtherHosts: e.target.value === 'refuse' ? 'refuse' : 'tunnel' })} data-testid="token-proxy-other-hosts">
          <option value="tunnel">passed through untouched</option>
          <option value="refuse">refused</option>
        </select>
      </label>
      <TokenRulesFields rules={form.rules} onChange={(rules) => set({ rules })} />
    </>
  );
}

function VaultChoice({ form, set, vaults }: { readonly form: TokenForm; readonly set: Set; readonly vaults: readonly VaultInfo[] }) {
  const toggle = (id: string, on: boolean) => set({ vaultIds: on ? [...form.vaultIds, id] : form.vaultIds.filter((v) => v !== id) });
  return (
    <fieldset className="stack">
      <legend>Vaults it may open</legend>
      {vaults.map((v) => (
        <label key={v.id} className="inline">
          <input type="checkbox" checked={form.vaultIds.includes(v.id)} onChange={(e) => toggle(v.id, e.target.checked)} data-testid="token-vault" data-vault-name={v.name} />
          <VaultBadge icon={v.icon} colour={v.colour} name={v.name} size={20} />
          {v.name} <span className="muted small">({v.entryCount})</span>
        </label>
      ))}
      <label className="inline">
        <input type="checkbox" checked={form.createVault} onChange={(e) => set({ createVault: e.target.checked })} data-testid="token-new-vault" />
        Create a new vault just for this agent
      </label>
      {form.createVault && (
        <label className="field indent">
          <span>New vault’s name</span>
          <input
            value={form.newVaultName}
            placeholder={`${form.name.trim() || 'agent'} vault`}
            onChange={(e) => set({ newVaultName: e.target.value })}
            data-testid="token-new-vault-name"
          />
        </label>
      )}
    </fieldset>
  );
}

const ACTION_TEXT: Readonly<Record<TokenAction, string>> = {
  read: 'Read — the agent receives the secret values',
  use: 'Use — Valetkey fills secrets into the agent’s requests; the agent never sees them',
};

function ActionChoice({ form, set }: { readonly form: TokenForm; readonly set: Set }) {
  const toggle = (a: TokenAction, on: boolean) => set({ actions: on ? [...form.actions.filter((x) => x !== a), a] : form.actions.filter((x) => x !== a) });
  return (
    <fieldset className="stack">
      <legend>What it may do</legend>
      {(['read', 'use'] as const).map((a) => (
        <label key={a} className="inline">
          <input type="checkbox" checked={form.actions.includes(a)} onChange={(e) => toggle(a, e.target.checked)} data-testid={`token-action-${a}`} />
          {ACTION_TEXT[a]}
        </label>
      ))}
    </fieldset>
  );
}

function ApprovalChoiceField({ form, set }: { readonly form: TokenForm; readonly set: Set }) {
  return (
    <fieldset className="stack">
      <legend>Approval</legend>
      <select value={form.approval} onChange={(e) => set({ approval: e.target.value as ApprovalChoice })} aria-label="Approval" data-testid="token-approval">
        <option value="vault">Follow each vault’s own setting</option>
        <option value="every_access">Ask me on every access</option>
        <option value="once_per_token">Ask me once, then allow for a while</option>
      </select>
      {form.approval === 'once_per_token' && (
        <label className="field">
          <span>Allow for (minutes)</span>
          <input
            type="number"
            min={1}
            max={MAX_APPROVAL_MINUTES}
            value={form.approvalMinutes}
            onChange={(e) => set({ approvalMinutes: Number(e.target.value) })}
            data-testid="token-approval-minutes"
          />
        </label>
      )}
      <p className="muted small">A token is never held to less than its vault asks for.</p>
    </fieldset>
  );
}

function BindingChoice({ form, set }: { readonly form: TokenForm; readonly set: Set }) {
  return (
    <fieldset className="stack">
      <legend>Binding</legend>
      <label className="inline">
        <input type="radio" name="binding" checked={form.binding === 'dpop'} onChange={() => set({ binding: 'dpop' })} data-testid="token-binding-dpop" />
        Bound to the agent’s key (DPoP) — recommended: a stolen token is useless
      </label>
      <label className="inline">
        <input type="radio" name="binding" checked={form.binding === 'bearer'} onChange={() => set({ binding: 'bearer' })} data-testid="token-binding-bearer" />
        Bearer — less safe: anyone holding the token can use it
      </label>
    </fieldset>
  );
}
