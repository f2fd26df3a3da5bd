/**
 * Scopes as the token service stores them: canonical, with vault and entry ids only, so a renamed
 * vault neither widens nor breaks a token. Names are resolved here, once, when a token is made.
 */
import { isVkError, VkError } from '../../shared/errors.js';
import type { TokenAction } from '../../shared/model.js';
import { dedupe, formatScope, isSubScope, parseScope, type ScopeItem } from '../auth/scopes.js';
import type { VaultStore } from '../vault/vault-store.js';

export type VaultLookup = Pick<VaultStore, 'getVault' | 'getEntry'>;

/**
 * Vault items for every vault × action, except where the person narrowed a vault to entries:
 * there, entry items for those entries × action. Refused if it would not fit in a token.
 */
export function buildScope(
  vaultIds: readonly string[],
  actions: readonly TokenAction[],
  entries: ReadonlyMap<string, readonly string[]>,
): { readonly items: ScopeItem[]; readonly text: string } {
  const items: ScopeItem[] = [];
  for (const vault of vaultIds) {
    const narrowed = entries.get(vault);
    for (const action of actions) {
      if (narrowed === undefined) items.push({ kind: 'vault', vault, action });
      else for (const entry of narrowed) items.push({ kind: 'entry', vault, entry, action });
    }
  }
  try {
    return { items, text: boundedScopeText(items) };
  } catch {
    throw new VkError('invalid_request', 'too many vaults and entries for one token: split it into several tokens');
  }
}

/** The canonical text, if it fits the bounds every verifier applies to `scope`; else invalid_scope. */
export function boundedScopeText(items: readonly ScopeItem[]): string {
  if (items.length === 0) throw new VkError('invalid_scope');
  const text = formatScope(items);
  parseScope(text);
  return text;
}

/**
 * RFC 8693: the scope an agent asks for in an exchange, with names resolved to ids, and checked
 * to be within the subject's. Anything unknown, ambiguous or outside is `invalid_scope`, with
 * no detail, so the answer does not tell an agent which vaults exist beyond its own.
 */
export function resolveExchangeScope(requested: string, subject: readonly ScopeItem[], vaults: VaultLookup): ScopeItem[] {
  const items = dedupe(parseScope(requested).map((item) => resolveItem(item, subject, vaults)));
  if (!isSubScope(items, subject)) throw new VkError('invalid_scope');
  return items;
}

/** Names to ids for a scope the engine itself was handed (device flow); unknown refs are not_found. */
export function resolveScopeIds(items: readonly ScopeItem[], vaults: VaultLookup): ScopeItem[] {
  return dedupe(
    items.map((item): ScopeItem => {
      const vault = vaults.getVault(item.vault).id;
      if (item.kind === 'vault') return { kind: 'vault', vault, action: item.action };
      return { kind: 'entry', vault, entry: vaults.getEntry(vault, item.entry).id, action: item.action };
    }),
  );
}

function resolveItem(item: ScopeItem, subject: readonly ScopeItem[], vaults: VaultLookup): ScopeItem {
  try {
    const vault = vaults.getVault(item.vault).id;
    // Never open entries of a vault the subject cannot reach at all.
    if (!subject.some((s) => s.vault === vault)) throw new VkError('invalid_scope');
    if (item.kind === 'vault') return { kind: 'vault', vault, action: item.action };
    return { kind: 'entry', vault, entry: vaults.getEntry(vault, item.entry).id, action: item.action };
  } catch (e) {
    if (isVkError(e) && e.code === 'vault_locked') throw e;
    if (isVkError(e) && (e.code === 'not_found' || e.code === 'conflict' || e.code === 'invalid_scope')) throw new VkError('invalid_scope');
    throw e;
  }
}

/** The distinct vault ids a scope names, in order. */
export function scopeVaultIds(items: readonly ScopeItem[]): string[] {
  return [...new Set(items.map((item) => item.vault))];
}

/** The distinct actions a scope grants, in canonical order. */
export function scopeActions(items: readonly ScopeItem[]): TokenAction[] {
  return (['read', 'use'] as const).filter((a) => items.some((item) => item.action === a));
}
