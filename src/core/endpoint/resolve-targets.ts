/**
 * From a `vk://` reference to the vault and entry it names, checked against the token's scope.
 * A vault or entry outside the scope is refused with insufficient_scope whether or not it
 * exists, so a token cannot probe for names it was not given.
 */
import { scopeAllows, scopeMentionsVault, type ScopeAction, type ScopeItem } from '../auth/scopes.js';
import { VkError, isVkError } from '../../shared/errors.js';
import type { Entry, VaultInfo } from '../../shared/model.js';
import { readField } from '../vault/entry-field.js';
import { totpCode } from '../vault/totp.js';
import { atTarget, NO_TARGET, refusedAt, type AuditTarget } from './endpoint-audit.js';
import type { EndpointRequest } from './endpoint-context.js';
import type { VkRef } from './vk-ref.js';

export interface ResolveTarget {
  readonly ref: VkRef;
  readonly vault: VaultInfo;
  readonly entry: Entry;
  /** As audited: the field name, or `otp` for `?attribute=otp`. */
  readonly field: string;
}

export function findScopedVault(r: EndpointRequest, scope: readonly ScopeItem[], ref: string): VaultInfo {
  let vault: VaultInfo;
  try {
    vault = r.state.services.vaults.getVault(ref);
  } catch (e) {
    if (isNotFound(e) && !scopeMentionsVault(scope, { id: ref, name: ref })) throw new VkError('insufficient_scope');
    throw e;
  }
  if (!scopeMentionsVault(scope, vault)) throw new VkError('insufficient_scope');
  return vault;
}

/**
 * Resolves one reference. A refusal names as much of it as was found: the field, then the vault,
 * then the entry. `actions` are the scope actions that qualify: `read` for /v1/resolve, `use` or
 * `read` for /v1/fetch.
 */
export function resolveTarget(r: EndpointRequest, scope: readonly ScopeItem[], ref: VkRef, actions: readonly ScopeAction[] = ['read']): ResolveTarget {
  const field = ref.attribute === 'otp' ? 'otp' : (ref.field ?? '');
  const vault = atTarget({ ...NO_TARGET, field }, () => findScopedVault(r, scope, ref.vault));
  const entry = atTarget({ ...NO_TARGET, vaultId: vault.id, field }, () => findEntry(r, scope, vault, ref.entry, actions));
  const target = { ref, vault, entry, field };
  // Before the scope check: touching a canary trips it whether or not the token may read it.
  r.state.services.tripwires.touchEntry(r.trail, { via: r.listener.kind, route: r.action }, entry, field);
  if (!allowsAny(scope, { vaultId: vault.id, vaultName: vault.name, entryId: entry.id, entryTitle: entry.title }, actions)) {
    throw refusedAt(auditTargetOf(target), new VkError('insufficient_scope'));
  }
  return target;
}

/** The audit row's view of a resolved target. */
export function auditTargetOf(t: ResolveTarget): AuditTarget {
  return { vaultId: t.vault.id, entryId: t.entry.id, field: t.field };
}

function findEntry(r: EndpointRequest, scope: readonly ScopeItem[], vault: VaultInfo, ref: string, actions: readonly ScopeAction[]): Entry {
  try {
    return r.state.services.vaults.getEntry(vault.id, ref);
  } catch (e) {
    const named = allowsAny(scope, { vaultId: vault.id, vaultName: vault.name, entryId: ref, entryTitle: ref }, actions);
    if (isNotFound(e) && !named) throw new VkError('insufficient_scope');
    throw e;
  }
}

function allowsAny(scope: readonly ScopeItem[], target: { vaultId: string; vaultName: string; entryId: string; entryTitle: string }, actions: readonly ScopeAction[]): boolean {
  return actions.some((action) => scopeAllows(scope, { ...target, action }));
}

/** The value a target names, from the entry already in memory: the current TOTP code for `otp`. */
export function readTarget(target: ResolveTarget, nowMs: number): string {
  if (target.ref.attribute === 'otp') {
    const seed = target.entry.fields.totp;
    if (seed === undefined || seed === '') throw new VkError('invalid_request', 'that entry has no TOTP seed');
    return totpCode(seed, nowMs).code;
  }
  return readField(target.entry, target.field);
}

function isNotFound(e: unknown): boolean {
  return isVkError(e) && e.code === 'not_found';
}
