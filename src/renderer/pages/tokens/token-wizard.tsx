import { useState, type FormEvent } from 'react';
import type { CreatedToken, VaultInfo } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { DialogActions, ProblemList } from '../../components/form-parts.js';
import { LoadedView } from '../../components/loaded.js';
import { useAction } from '../../hooks/use-action.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { navigate } from '../../hooks/use-route.js';
import { formFromTemplate, newVaultName, TEMPLATE_IDS, TOKEN_TEMPLATES, tokenFormProblems, toTokenInput, type TemplateId, type TokenForm } from '../../lib/token-form.js';
import { EnrollmentResult } from './enrollment-result.js';
import { TokenFormFields } from './token-form-fields.js';

type Step = { readonly step: 'template' } | { readonly step: 'form' } | { readonly step: 'result'; readonly created: CreatedToken; readonly vaultName: string | undefined };

/** New token: pick a template, adjust it, get the enrollment code once. */
export function TokenWizard() {
  const vaults = useAdminData(() => admin.listVaults({}), [], ['vaults.changed']);
  const [step, setStep] = useState<Step>({ step: 'template' });
  const [form, setForm] = useState<TokenForm>(TOKEN_TEMPLATES.blank.form);

  const choose = (id: TemplateId, existing: readonly VaultInfo[]) => {
    const template = formFromTemplate(TOKEN_TEMPLATES[id], existing);
    // With no vault to pick, the only way forward is a new one.
    setForm(existing.length === 0 ? { ...template, createVault: true } : template);
    setStep({ step: 'form' });
  };

  return (
    <div className="stack narrow-page">
      <h1>New token</h1>
      <LoadedView data={vaults.data} onRetry={vaults.reload}>
        {(list) => {
          switch (step.step) {
            case 'template':
              return <TemplatePicker onChoose={(id) => choose(id, list)} />;
            case 'form':
              return <TokenFormStep form={form} setForm={setForm} vaults={list} onCreated={(created, vaultName) => setStep({ step: 'result', created, vaultName })} onBack={() => setStep({ step: 'template' })} />;
            case 'result':
              return <EnrollmentResult created={step.created} vaultName={step.vaultName} onDone={() => navigate({ page: 'tokens' })} />;
          }
        }}
      </LoadedView>
    </div>
  );
}

function TemplatePicker({ onChoose }: { readonly onChoose: (id: TemplateId) => void }) {
  return (
    <div className="template-grid" role="list">
      {TEMPLATE_IDS.map((id) => (
        <button key={id} type="button" role="listitem" className="template-card" onClick={() => onChoose(id)} data-testid={`token-template-${id}`}>
          <span className="template-title">{TOKEN_TEMPLATES[id].title}</span>
          <span className="muted small">{TOKEN_TEMPLATES[id].description}</span>
        </button>
      ))}
    </div>
  );
}

function TokenFormStep({
  form,
  setForm,
  vaults,
  onCreated,
  onBack,
}: {
  readonly form: TokenForm;
  readonly setForm: (f: (prev: TokenForm) => TokenForm) => void;
  readonly vaults: readonly VaultInfo[];
  readonly onCreated: (created: CreatedToken, vaultName: string | undefined) => void;
  readonly onBack: () => void;
}) {
  const { busy, error, submit } = useAction();
  const [problems, setProblems] = useState<readonly string[]>([]);
  // Kept so a retry after a failed createToken reuses the vault instead of making a second one.
  const [madeVault, setMadeVault] = useState<VaultInfo | undefined>(undefined);

  const makeVault = async (): Promise<VaultInfo | undefined> => {
    if (!form.createVault) return undefined;
    if (madeVault !== undefined && madeVault.name === newVaultName(form)) return madeVault;
    const vault = await admin.createVault({ vault: { name: newVaultName(form), icon: 'robot' } });
    setMadeVault(vault);
    return vault;
  };

  const create = async () => {
    const created = await makeVault();
    const token = await admin.createToken({ token: toTokenInput(form, created?.id) });
    const firstVault = created?.name ?? vaults.find((v) => v.id === form.vaultIds[0])?.name;
    onCreated(token, firstVault);
  };
  // Problems found here are shown under the form, and nothing is sent.
  const onSubmit = (e: FormEvent) => {
    const found = tokenFormProblems(form);
    setProblems(found);
    if (found.length > 0) e.preventDefault();
    else void submit(e, create);
  };

  return (
    <form className="stack card" onSubmit={onSubmit}>
      <TokenFormFields form={form} set={(changes) => setForm((f) => ({ ...f, ...changes }))} vaults={vaults} />
      <ProblemList problems={problems} testId="token-problems" />
      <DialogActions error={error} busy={busy} onCancel={onBack} cancelLabel="Back" label="Create token" busyLabel="Creating…" testId="token-create" />
    </form>
  );
}
