/** Params of the engine-state, vault and entry methods. Names, colours and hosts are normalised by the engine's vault checks. */
import { z } from 'zod';
import { APPROVAL_MODES, ENTRY_KINDS } from '../model.js';
import { CANARY_TRIPS } from '../model/tripwires.js';
import { granted, grantedOnly, empty, opt, text } from './fields.js';

export const approvalSetting = z.object({ mode: z.enum(APPROVAL_MODES), minutes: z.number().optional() });

const vaultInput = z.object({
  name: z.string(),
  icon: opt(z.string()),
  colour: opt(z.string()),
  approval: opt(approvalSetting),
});

const customField = z.object({ name: z.string(), value: z.string().default(''), hidden: z.boolean().default(false) });

const entryFields = z.object({
  username: opt(z.string()),
  password: opt(z.string()),
  urls: opt(z.array(z.string())),
  totp: opt(z.string()),
  apiKey: opt(z.string()),
  sshPrivateKey: opt(z.string()),
  sshPublicKey: opt(z.string()),
  notes: opt(z.string()),
  custom: opt(z.array(customField)),
});

const entryInjection = z.union([z.object({ header: z.string() }), z.object({ query: z.string() }), z.object({ basic: z.literal(true) })], {
  error: 'must be { header }, { query } or { basic: true }',
});

const entryInputShape = {
  title: z.string(),
  kind: z.enum(ENTRY_KINDS),
  fields: entryFields,
  allowedHosts: opt(z.array(z.string())),
  // In an update, null takes the setting off; absent leaves it as it is.
  injection: entryInjection.nullable().optional(),
  injectionByHost: z.record(z.string(), entryInjection).nullable().optional(),
  canary: z.object({ onTrip: z.enum(CANARY_TRIPS) }).nullable().optional(),
};
const entryInput = z.object(entryInputShape);

const entryRef = { ...granted, vaultId: text, entryId: text };

export const engineSchemas = {
  status: empty,
  proveEngine: z.object({ challenge: text }),
  lock: empty,
  unlock: z.object({ passphrase: text }),
  openGrantSession: z.object({ passphrase: text, minutes: opt(z.number()) }),
  closeGrantSession: z.object({ session: text }),
  pauseAgents: empty,
  resumeAgents: grantedOnly,
  changeAdminPassphrase: z.object({ current: text, next: text }),
  exportRecoveryKit: z.object({ ...granted, kitPassphrase: text }),
  dashboardLoginUrl: empty,
};

export const vaultSchemas = {
  listVaults: empty,
  createVault: z.object({ ...granted, vault: vaultInput }),
  updateVault: z.object({ ...granted, vaultId: text, changes: vaultInput.partial() }),
  deleteVault: z.object({ ...granted, vaultId: text }),
  listEntries: z.object({ vaultId: opt(z.string()), query: opt(z.string()) }),
  getEntry: z.object({ ...entryRef, reason: opt(z.string()) }),
  createEntry: z.object({ ...granted, vaultId: text, entry: entryInput, generateSshKey: opt(z.object({ comment: opt(z.string()) })) }),
  updateEntry: z.object({ ...entryRef, changes: entryInput.partial() }),
  deleteEntry: z.object(entryRef),
  totpCode: z.object(entryRef),
};
