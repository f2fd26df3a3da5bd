import { VkError } from '../../shared/errors.js';

/**
 * Scope grammar of a Valetkey access token (the `scope` claim; RFC 6749 §3.3 space-delimited).
 *
 *   scope    = item *( SP item )
 *   item     = "vault:" ref ":" action
 *            / "entry:" ref "/" ref ":" action      ; vault ref, then entry ref
 *   action   = "read" / "use"
 *   ref      = 1*( rchar / pct-encoded )             ; an id or a name
 *   rchar    = %x21 / %x23-24 / %x26-2E / %x30-39 / %x3B-5B / %x5D-7E
 *              ; printable ASCII except SP, '"', '%', '/', ':' and '\'
 *
 * A vault or entry id or name that holds any other character (space, ':', '/', '%', a quote, a
 * backslash, anything non-ASCII) is written as UTF-8 percent-encoding, e.g. `vault:Team%20Ops:read`.
 * `read` reveals a secret; `use` lets the engine use it without revealing it. Neither implies the
 * other, so a person who grants only `use` never hands out a value. No scope ever writes.
 * Examples: `vault:01J9ZK...:read`, `entry:Personal/GitHub%20token:use`.
 */
export const SCOPE_ACTIONS = ['read', 'use'] as const;
export type ScopeAction = (typeof SCOPE_ACTIONS)[number];

export type ScopeItem =
  | { readonly kind: 'vault'; readonly vault: string; readonly action: ScopeAction }
  | { readonly kind: 'entry'; readonly vault: string; readonly entry: string; readonly action: ScopeAction };

/** What a request touches, as the store knows it: refs in a scope may be ids or names. */
export interface ScopeTarget {
  readonly vaultId: string;
  readonly vaultName: string;
  readonly entryId: string;
  readonly entryTitle: string;
  readonly action: ScopeAction;
}

// Bounds keep a hostile scope string from costing more than a token is worth.
const MAX_SCOPE_LENGTH = 8192;
const MAX_ITEMS = 256;
const RAW_REF = /^(?:[\x21\x23\x24\x26-\x2e\x30-\x39\x3b-\x5b\x5d-\x7e]|%[0-9A-Fa-f]{2})+$/;

export function parseScope(scope: string): ScopeItem[] {
  if (typeof scope !== 'string' || scope.length === 0 || scope.length > MAX_SCOPE_LENGTH) {
    throw new VkError('invalid_scope');
  }
  const parts = scope.split(' ');
  if (parts.length > MAX_ITEMS) throw new VkError('invalid_scope');
  return parts.map(parseItem);
}

function parseItem(item: string): ScopeItem {
  const fields = item.split(':');
  if (fields.length !== 3) throw new VkError('invalid_scope');
  const [kind, target, action] = fields as [string, string, string];
  if (!isAction(action)) throw new VkError('invalid_scope');
  if (kind === 'vault') return { kind, vault: decodeRef(target), action };
  if (kind !== 'entry') throw new VkError('invalid_scope');
  const refs = target.split('/');
  if (refs.length !== 2) throw new VkError('invalid_scope');
  return { kind, vault: decodeRef(refs[0] ?? ''), entry: decodeRef(refs[1] ?? ''), action };
}

function isAction(value: string): value is ScopeAction {
  return (SCOPE_ACTIONS as readonly string[]).includes(value);
}

function decodeRef(raw: string): string {
  if (!RAW_REF.test(raw)) throw new VkError('invalid_scope');
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new VkError('invalid_scope'); // percent-encoding that is not UTF-8
  }
}

export function formatScope(items: readonly ScopeItem[]): string {
  return items.map(formatItem).join(' ');
}

/** The items in order, each once (two items are the same when they format the same). */
export function dedupe(items: readonly ScopeItem[]): ScopeItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = formatScope([item]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function formatItem(item: ScopeItem): string {
  if (item.kind === 'vault') return `vault:${encodeRef(item.vault)}:${item.action}`;
  return `entry:${encodeRef(item.vault)}/${encodeRef(item.entry)}:${item.action}`;
}

function encodeRef(ref: string): string {
  if (ref.length === 0) throw new VkError('invalid_scope');
  // encodeURIComponent leaves only unreserved chars and !'()* bare: all legal rchars.
  return encodeURIComponent(ref);
}

/** True when some item grants `target.action` on that entry (directly, or through its vault). */
export function scopeAllows(items: readonly ScopeItem[], target: ScopeTarget): boolean {
  return items.some((item) => item.action === target.action && coversTarget(item, target));
}

function coversTarget(item: ScopeItem, t: ScopeTarget): boolean {
  const vaultMatches = item.vault === t.vaultId || item.vault === t.vaultName;
  if (item.kind === 'vault') return vaultMatches;
  return vaultMatches && (item.entry === t.entryId || item.entry === t.entryTitle);
}

/** True when some item names this vault at all (what a token may list, never a value). */
export function scopeMentionsVault(items: readonly ScopeItem[], vault: { readonly id: string; readonly name: string }): boolean {
  return items.some((item) => item.vault === vault.id || item.vault === vault.name);
}

/**
 * Token exchange (RFC 8693): every child item must be covered by a parent item of the same
 * action. Refs are compared as written, so resolve names to ids on both sides first if they may
 * differ; an unresolved mismatch errs towards "not covered".
 */
export function isSubScope(child: readonly ScopeItem[], parent: readonly ScopeItem[]): boolean {
  return child.every((c) => parent.some((p) => covers(p, c)));
}

function covers(parent: ScopeItem, child: ScopeItem): boolean {
  if (parent.action !== child.action || parent.vault !== child.vault) return false;
  if (parent.kind === 'vault') return true;
  return child.kind === 'entry' && child.entry === parent.entry;
}
