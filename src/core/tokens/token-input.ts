/**
 * Checks a person's TokenInput (it arrives as JSON, so every field is checked as `unknown`) and
 * resolves vault and entry refs to ids. Details name the field and the fix; vault and entry refs
 * are the person's own words, so a not_found may quote them.
 */
import { VkError } from '../../shared/errors.js';
import { MAX_TOKEN_NAME_CHARS } from '../../shared/field-checks.js';
import {
  MAX_LIFESPAN_SECONDS,
  MIN_LIFESPAN_SECONDS,
  PROXY_OTHER_HOSTS,
  TOKEN_ACTIONS,
  type ProxyOtherHosts,
  type TokenAction,
  type TokenApproval,
  type TokenBinding,
} from '../../shared/model.js';
import type { ScopeItem } from '../auth/scopes.js';
import { invalid, requireName } from '../vault/input-checks.js';
import { MAX_REQUESTS_PER_MINUTE, MAX_USES_LIMIT } from '../../shared/admin-schemas/limits.js';
import { validateApproval } from '../vault/vault-validation.js';
import { buildScope, type VaultLookup } from './token-scope.js';

export { MAX_TOKEN_NAME_CHARS };
export const MAX_TOKEN_VAULTS = 50;
export const MAX_TOKEN_ENTRIES = 100;

export interface ValidTokenInput {
  readonly name: string;
  readonly scope: readonly ScopeItem[];
  readonly scopeText: string;
  readonly lifespanSeconds: number;
  readonly approval: TokenApproval;
  readonly maxUses: number | null;
  readonly requestsPerMinute: number | null;
  readonly proxyOtherHosts: ProxyOtherHosts;
  readonly binding: TokenBinding;
}

export function validateTokenInput(input: unknown, vaults: VaultLookup): ValidTokenInput {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('the token must be an object with a name, vaults, actions and lifespanSeconds');
  const p = input as Readonly<Record<string, unknown>>;
  const name = requireName(p.name, 'The token name', MAX_TOKEN_NAME_CHARS);
  const vaultIds = resolveVaults(p.vaults, vaults);
  const actions = requireActions(p.actions);
  const entries = resolveEntries(p.entries, vaultIds, vaults);
  const { items, text } = buildScope(vaultIds, actions, entries);
  return {
    name,
    scope: items,
    scopeText: text,
    lifespanSeconds: requireLifespan(p.lifespanSeconds),
    approval: p.approval === undefined || p.approval === 'vault' ? 'vault' : validateApproval(p.approval),
    maxUses: optionalWholeNumber(p.maxUses, 'maxUses', 1, MAX_USES_LIMIT),
    requestsPerMinute: optionalWholeNumber(p.requestsPerMinute, 'requestsPerMinute', 1, MAX_REQUESTS_PER_MINUTE),
    binding: requireBinding(p.binding),
    proxyOtherHosts: requireProxyOtherHosts(p.proxyOtherHosts),
  };
}

function requireProxyOtherHosts(value: unknown): ProxyOtherHosts {
  if (value === undefined) return 'tunnel';
  const found = PROXY_OTHER_HOSTS.find((v) => v === value);
  if (found === undefined) throw invalid(`proxyOtherHosts must be one of ${PROXY_OTHER_HOSTS.join(', ')}`);
  return found;
}

export function requireLifespan(value: unknown, field = 'lifespanSeconds'): number {
  const n = optionalWholeNumber(value, field, MIN_LIFESPAN_SECONDS, MAX_LIFESPAN_SECONDS);
  if (n === null) throw invalid(`${field} is required (${MIN_LIFESPAN_SECONDS} to ${MAX_LIFESPAN_SECONDS} seconds)`);
  return n;
}

function resolveVaults(value: unknown, vaults: VaultLookup): string[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid('vaults must be a non-empty array of vault ids or names');
  if (value.length > MAX_TOKEN_VAULTS) throw invalid(`vaults may name at most ${MAX_TOKEN_VAULTS} vaults`);
  const ids = value.map((ref: unknown) => {
    if (typeof ref !== 'string' || ref.length === 0) throw invalid('each vault must be a vault id or name');
    return lookup(() => vaults.getVault(ref).id, `no vault has the id or name ${quote(ref)}`);
  });
  return [...new Set(ids)];
}

function requireActions(value: unknown): TokenAction[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(`actions must be a non-empty array of ${TOKEN_ACTIONS.join(', ')}`);
  for (const a of value) {
    if (!(TOKEN_ACTIONS as readonly unknown[]).includes(a)) throw invalid(`each action must be one of ${TOKEN_ACTIONS.join(', ')}`);
  }
  return TOKEN_ACTIONS.filter((a) => value.includes(a));
}

/** Entry narrowing, per vault: vault id → entry ids, in the order given. */
function resolveEntries(value: unknown, vaultIds: readonly string[], vaults: VaultLookup): Map<string, string[]> {
  const byVault = new Map<string, string[]>();
  if (value === undefined) return byVault;
  if (!Array.isArray(value)) throw invalid('entries must be an array of { vault, entry }');
  if (value.length > MAX_TOKEN_ENTRIES) throw invalid(`entries may name at most ${MAX_TOKEN_ENTRIES} entries`);
  for (const item of value as unknown[]) {
    const { vault, entry } = (typeof item === 'object' && item !== null ? item : {}) as { vault?: unknown; entry?: unknown };
    if (typeof vault !== 'string' || typeof entry !== 'string' || vault === '' || entry === '') {
      throw invalid('each entry must be { vault, entry } with a vault id or name and an entry id or title');
    }
    const vaultId = lookup(() => vaults.getVault(vault).id, `no vault has the id or name ${quote(vault)}`);
    if (!vaultIds.includes(vaultId)) throw invalid(`entry ${quote(entry)} is in a vault the token does not include; add the vault to vaults`);
    const entryId = lookup(() => vaults.getEntry(vaultId, entry).id, `no entry has the id or title ${quote(entry)} in vault ${quote(vault)}`);
    const list = byVault.get(vaultId) ?? [];
    if (!list.includes(entryId)) list.push(entryId);
    byVault.set(vaultId, list);
  }
  return byVault;
}

function requireBinding(value: unknown): TokenBinding {
  if (value === undefined || value === 'dpop') return 'dpop';
  if (value === 'bearer') return 'bearer';
  throw invalid('binding must be "dpop" (the default) or "bearer"');
}

export function optionalWholeNumber(value: unknown, field: string, min: number, max: number): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** Runs a store lookup, turning its generic not_found into one that names what was not found. */
function lookup<T>(find: () => T, detail: string): T {
  try {
    return find();
  } catch (e) {
    if (e instanceof VkError && e.code === 'not_found') throw new VkError('not_found', detail);
    throw e;
  }
}

function quote(ref: string): string {
  return JSON.stringify(ref.length > 100 ? `${ref.slice(0, 100)}…` : ref);
}
