/**
 * What a person grants when approving a device request: the requested scope with every vault and
 * entry resolved to its id now, optionally narrowed to fewer vaults, fewer actions and a shorter
 * life. Nothing here can widen a request: anything outside it is invalid_request.
 */
import { VkError } from '../../shared/errors.js';
import { MIN_LIFESPAN_SECONDS, TOKEN_ACTIONS, type TokenAction } from '../../shared/model.js';
import { dedupe, type ScopeItem } from '../auth/scopes.js';
import { nameKey } from '../vault/input-checks.js';
import { looksLikeId } from '../vault/ids.js';
import type { VaultStore } from '../vault/vault-store.js';

export interface Narrowing {
  readonly vaults?: readonly string[];
  readonly actions?: readonly TokenAction[];
  readonly lifespanSeconds?: number;
}

export interface Grant {
  readonly scope: readonly ScopeItem[];
  readonly lifespanSeconds: number;
}

export function grantFor(requested: readonly ScopeItem[], requestedLifespan: number, narrowed: Narrowing | undefined, vaults: VaultStore): Grant {
  const vaultIds = new Map(requested.map((item) => [item.vault, findVault(vaults, item.vault)] as const));
  const chosen = chosenVaults(vaultIds, narrowed?.vaults, vaults);
  const actions = chosenActions(new Set(requested.map((i) => i.action)), narrowed?.actions);
  const lifespanSeconds = chosenLifespan(requestedLifespan, narrowed?.lifespanSeconds);
  const scope: ScopeItem[] = [];
  for (const item of requested) {
    const vaultId = vaultIds.get(item.vault);
    if (vaultId === undefined || vaultId === null || !chosen.has(vaultId) || !actions.has(item.action)) continue;
    scope.push(resolveItem(item, vaultId, vaults));
  }
  if (scope.length === 0) throw new VkError('invalid_request', 'the chosen vaults and actions leave nothing of the request; deny it instead');
  return { scope: dedupe(scope), lifespanSeconds };
}

/** A vault's id, or null when nothing by that ref exists now; a locked engine still throws. */
function findVault(vaults: VaultStore, ref: string): string | null {
  try {
    return vaults.getVault(ref).id;
  } catch (e) {
    if (e instanceof VkError && e.code === 'not_found') return null;
    throw e;
  }
}

/** Entry refs become ids; an unknown entry is not_found (the request named something that is not there). */
function resolveItem(item: ScopeItem, vault: string, vaults: VaultStore): ScopeItem {
  if (item.kind === 'vault') return { kind: 'vault', vault, action: item.action };
  return { kind: 'entry', vault, entry: entryId(vaults, vault, item.entry), action: item.action };
}

// Summaries only: no secret value is opened to find an id.
function entryId(vaults: VaultStore, vaultId: string, ref: string): string {
  const entries = vaults.listEntries(vaultId);
  const byId = looksLikeId(ref) ? entries.find((e) => e.id === ref) : undefined;
  if (byId !== undefined) return byId.id;
  const matches = entries.filter((e) => nameKey(e.title) === nameKey(ref));
  if (matches.length > 1) throw new VkError('conflict', 'two entries share a requested title; the agent must name the entry by id');
  if (matches[0] === undefined) throw new VkError('not_found', 'a requested entry does not exist');
  return matches[0].id;
}

/** As asked, every requested vault must exist; narrowed, the person picks among those that do. */
function chosenVaults(requested: ReadonlyMap<string, string | null>, narrowed: readonly string[] | undefined, vaults: VaultStore): ReadonlySet<string> {
  const known = new Set([...requested.values()].filter((id): id is string => id !== null));
  if (narrowed === undefined) {
    if ([...requested.values()].includes(null)) throw new VkError('not_found', 'a requested vault does not exist; approve it narrowed to the others, or deny it');
    return known;
  }
  if (narrowed.length === 0) throw new VkError('invalid_request', 'choose at least one vault, or deny the request');
  const chosen = new Set(narrowed.map((ref) => vaults.getVault(ref).id));
  for (const id of chosen) if (!known.has(id)) throw new VkError('invalid_request', 'narrowed vaults must be among the requested vaults');
  return chosen;
}

function chosenActions(requested: ReadonlySet<TokenAction>, narrowed: readonly TokenAction[] | undefined): ReadonlySet<TokenAction> {
  if (narrowed === undefined) return requested;
  if (narrowed.length === 0) throw new VkError('invalid_request', 'choose at least one action, or deny the request');
  for (const a of narrowed) {
    if (!(TOKEN_ACTIONS as readonly string[]).includes(a)) throw new VkError('invalid_request', 'actions must be read or use');
    if (!requested.has(a)) throw new VkError('invalid_request', 'narrowed actions must be among the requested actions');
  }
  return new Set(narrowed);
}

function chosenLifespan(requested: number, narrowed: number | undefined): number {
  if (narrowed === undefined) return requested;
  if (!Number.isInteger(narrowed) || narrowed < MIN_LIFESPAN_SECONDS || narrowed > requested) {
    throw new VkError('invalid_request', `lifespan must be a whole number of seconds from ${MIN_LIFESPAN_SECONDS} up to the requested lifespan`);
  }
  return narrowed;
}
