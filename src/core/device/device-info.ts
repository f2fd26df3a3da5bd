import { TOKEN_ACTIONS, type DeviceRequestInfo } from '../../shared/model.js';
import { parseScope, type ScopeItem } from '../auth/scopes.js';
import type { DeviceRow } from './device-store.js';

/** A vault ref's id and name now, or null (unknown, or the engine is locked: names are sealed). */
export type ResolveVault = (ref: string) => { readonly id: string; readonly name: string } | null;

/** What the prompt and the dashboard show for a request. */
export function toDeviceInfo(row: DeviceRow, resolve: ResolveVault): DeviceRequestInfo {
  const items = safeParse(row.scope);
  const refs = [...new Set(items.map((i) => i.vault))];
  const actions = TOKEN_ACTIONS.filter((a) => items.some((i) => i.action === a));
  return {
    id: row.id,
    userCode: row.user_code,
    clientName: row.client_id,
    keyThumbprint: row.jkt,
    requestedScope: row.scope,
    vaults: refs.map((ref) => {
      const found = resolve(ref);
      return { ref, id: found?.id ?? null, name: found?.name ?? null };
    }),
    actions,
    lifespanSeconds: row.lifespan_seconds,
    reason: row.reason,
    status: row.status,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    tokenId: row.token_id,
    ...(row.granted_scope === null ? {} : { grantedScope: row.granted_scope }),
    ...(row.granted_lifespan_seconds === null ? {} : { grantedLifespanSeconds: row.granted_lifespan_seconds }),
  };
}

// Stored scopes were parsed before they were stored; a corrupt one shows as asking for nothing.
function safeParse(scope: string): ScopeItem[] {
  try {
    return parseScope(scope);
  } catch {
    return [];
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
