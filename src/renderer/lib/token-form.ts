/**
 * The token wizard's form and its templates. Pure: the wizard holds a TokenForm, this file says
 * what is wrong with it and turns it into the TokenInput the engine checks again.
 */
import { MAX_APPROVAL_MINUTES, MAX_REQUESTS_PER_MINUTE } from '../../shared/admin-schemas/limits.js';
import { MAX_TOKEN_NAME_CHARS, nameProblem } from '../../shared/field-checks.js';
import { DEFAULT_TOKEN_RULES, LIFESPAN_PRESETS, MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS, type ProxyOtherHosts, type TokenAction, type TokenBinding, type TokenInput, type TokenRules } from '../../shared/model.js';

export type ApprovalChoice = 'vault' | 'every_access' | 'once_per_token';

export interface TokenForm {
  readonly name: string;
  readonly vaultIds: readonly string[];
  /** A new vault dedicated to this agent, created just before the token. */
  readonly createVault: boolean;
  readonly newVaultName: string;
  readonly actions: readonly TokenAction[];
  readonly lifespanSeconds: number;
  readonly approval: ApprovalChoice;
  readonly approvalMinutes: number;
  readonly binding: TokenBinding;
  /** Input text; empty means no limit. */
  readonly maxUses: string;
  readonly requestsPerMinute: string;
  /** What `valetkey proxy` does with hosts no entry allows. */
  readonly proxyOtherHosts: ProxyOtherHosts;
  /** Tripwire rules; the wizard starts from DEFAULT_TOKEN_RULES. */
  readonly rules: TokenRules;
}

export const TEMPLATE_IDS = ['coding', 'accounting', 'oneoff', 'blank'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

export interface TokenTemplate {
  /** A vault this template is for, chosen for the person when one of that name exists. */
  readonly vaultHint?: string;
  readonly title: string;
  readonly description: string;
  readonly form: TokenForm;
}

const BASE: TokenForm = {
  name: '',
  vaultIds: [],
  createVault: false,
  newVaultName: '',
  actions: ['read'],
  lifespanSeconds: LIFESPAN_PRESETS['1d'],
  approval: 'vault',
  approvalMinutes: 60,
  binding: 'dpop',
  maxUses: '',
  requestsPerMinute: '',
  proxyOtherHosts: 'tunnel',
  rules: DEFAULT_TOKEN_RULES,
};

export const TOKEN_TEMPLATES: Readonly<Record<TemplateId, TokenTemplate>> = {
  coding: {
    title: 'Coding agent',
    description: 'An assistant in your editor or terminal: reads API keys for a week, at most 60 requests a minute, in a vault of its own.',
    form: { ...BASE, name: 'coding-agent', createVault: true, lifespanSeconds: LIFESPAN_PRESETS['7d'], requestsPerMinute: '60' },
  },
  accounting: {
    title: 'Accounting agent',
    vaultHint: 'accounting',
    description: 'A bookkeeping bot: uses bank and invoicing logins without seeing them, asks you once an hour, for 30 days.',
    form: {
      ...BASE,
      name: 'accounting-agent',
      actions: ['use'],
      lifespanSeconds: LIFESPAN_PRESETS['30d'],
      approval: 'once_per_token',
      approvalMinutes: 60,
    },
  },
  oneoff: {
    title: 'One-off script',
    description: 'A script you run once: one hour, at most 5 reads.',
    form: { ...BASE, name: 'one-off-script', lifespanSeconds: LIFESPAN_PRESETS['1h'], maxUses: '5' },
  },
  blank: {
    title: 'Start from scratch',
    description: 'Every setting yours to choose.',
    form: BASE,
  },
};


function wholeNumber(text: string): number | undefined {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : undefined;
}

/** The template's form, with its vault chosen when the person has one by that name (case-insensitive). */
export function formFromTemplate(template: TokenTemplate, vaults: readonly { readonly id: string; readonly name: string }[]): TokenForm {
  const hinted = template.vaultHint === undefined ? undefined : vaults.find((v) => v.name.trim().toLowerCase() === template.vaultHint);
  return hinted === undefined ? template.form : { ...template.form, vaultIds: [hinted.id] };
}

/** What stops the form from being sent, in words for the person; empty when it can go. */
export function tokenFormProblems(form: TokenForm): string[] {
  const problems: string[] = [];
  const nameIssue = form.name.trim() === '' ? 'Give the agent a name.' : nameProblem(form.name, 'The agent name', MAX_TOKEN_NAME_CHARS);
  if (nameIssue !== undefined) problems.push(nameIssue);
  if (form.vaultIds.length === 0 && !form.createVault) problems.push('Choose at least one vault, or create a new one for this agent.');
  if (form.createVault && newVaultName(form).length === 0) problems.push('Name the new vault.');
  if (form.actions.length === 0) problems.push('Allow at least one action: read or use.');
  if (form.lifespanSeconds < MIN_LIFESPAN_SECONDS || form.lifespanSeconds > MAX_LIFESPAN_SECONDS) problems.push('Pick a lifespan between 5 minutes and 1 year.');
  if (form.approval === 'once_per_token' && !(form.approvalMinutes >= 1 && form.approvalMinutes <= MAX_APPROVAL_MINUTES)) {
    problems.push(`Approval minutes must be from 1 to ${MAX_APPROVAL_MINUTES}.`);
  }
  const maxUses = wholeNumber(form.maxUses);
  if (form.maxUses.trim() !== '' && (maxUses === undefined || maxUses < 1)) problems.push('Max uses must be a whole number of at least 1, or empty for no limit.');
  const rpm = wholeNumber(form.requestsPerMinute);
  if (form.requestsPerMinute.trim() !== '' && (rpm === undefined || rpm < 1 || rpm > MAX_REQUESTS_PER_MINUTE)) {
    problems.push(`Requests per minute must be from 1 to ${MAX_REQUESTS_PER_MINUTE}, or empty for no limit.`);
  }
  return problems;
}

export function newVaultName(form: TokenForm): string {
  return (form.newVaultName.trim() || `${form.name.trim()} vault`).trim();
}

/** The engine's input; `createdVaultId` is the dedicated vault once it exists. Call only when there are no problems. */
export function toTokenInput(form: TokenForm, createdVaultId?: string): TokenInput {
  const maxUses = wholeNumber(form.maxUses);
  const rpm = wholeNumber(form.requestsPerMinute);
  const vaults = createdVaultId === undefined ? form.vaultIds : [...form.vaultIds, createdVaultId];
  return {
    name: form.name.trim(),
    vaults,
    actions: form.actions,
    lifespanSeconds: form.lifespanSeconds,
    approval:
      form.approval === 'vault' ? 'vault' : form.approval === 'every_access' ? { mode: 'every_access' } : { mode: 'once_per_token', minutes: form.approvalMinutes },
    binding: form.binding,
    ...(maxUses === undefined ? {} : { maxUses }),
    ...(rpm === undefined ? {} : { requestsPerMinute: rpm }),
    proxyOtherHosts: form.proxyOtherHosts,
    rules: form.rules,
  };
}
