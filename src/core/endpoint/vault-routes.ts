/**
 * GET /v1/vaults and GET /v1/vaults/{vault}/entries: what a token can see, never a value. A
 * vault the scope does not name is refused the same way whether or not it exists.
 */
import type { ScopeItem } from '../auth/scopes.js';
import { scopeAllows, scopeMentionsVault } from '../auth/scopes.js';
import { VkError } from '../../shared/errors.js';
import type { EntrySummary, TokenAction, VaultInfo } from '../../shared/model.js';
import { TOKEN_ACTIONS } from '../../shared/model.js';
import { authenticate } from './authenticate.js';
import { effectiveApproval } from '../approvals/effective-approval.js';
import { auditAllowed, ignoreAuditFailure } from './endpoint-audit.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { findScopedVault } from './resolve-targets.js';

export async function listVaultsRoute(r: EndpointRequest): Promise<void> {
  const { record } = await authenticate(r);
  const vaults = r.state.services.vaults.listVaults().filter((v) => scopeMentionsVault(record.scope, v));
  const body = vaults.map((v) => ({
    id: v.id,
    name: v.name,
    approval: effectiveApproval(v.approval, record.approval),
    entryCount: visibleEntryCount(record.scope, v),
    actions: actionsOnVault(record.scope, v),
  }));
  // Metadata only, nothing secret leaves: the row is written but not waited for.
  auditAllowed(r, { action: 'vault.list', detail: { count: body.length } }).catch(ignoreAuditFailure);
  sendOk(r, { vaults: body });
}

export async function listEntriesRoute(r: EndpointRequest, vaultRef: string): Promise<void> {
  const { record } = await authenticate(r);
  const vault = findScopedVault(r, record.scope, vaultRef);
  const entries = r.state.services.vaults
    .listEntries(vault.id)
    .map((e) => ({ entry: e, actions: actionsOnEntry(record.scope, vault, e) }))
    .filter((x) => x.actions.length > 0)
    .map(({ entry, actions }) => ({ id: entry.id, title: entry.title, kind: entry.kind, fieldNames: entry.fieldNames, hasTotp: entry.hasTotp, actions }));
  auditAllowed(r, { action: 'entry.list', vaultId: vault.id, detail: { count: entries.length } }).catch(ignoreAuditFailure);
  sendOk(r, { vault: { id: vault.id, name: vault.name }, entries });
}

function actionsOnVault(scope: readonly ScopeItem[], vault: VaultInfo): TokenAction[] {
  return TOKEN_ACTIONS.filter((action) => scope.some((item) => item.action === action && (item.vault === vault.id || item.vault === vault.name)));
}

function actionsOnEntry(scope: readonly ScopeItem[], vault: VaultInfo, entry: EntrySummary): TokenAction[] {
  return TOKEN_ACTIONS.filter((action) =>
    scopeAllows(scope, { vaultId: vault.id, vaultName: vault.name, entryId: entry.id, entryTitle: entry.title, action }),
  );
}

/** A token narrowed to some entries learns how many it may see, not how many the vault holds. */
function visibleEntryCount(scope: readonly ScopeItem[], vault: VaultInfo): number {
  const mine = scope.filter((item) => item.vault === vault.id || item.vault === vault.name);
  if (mine.some((item) => item.kind === 'vault')) return vault.entryCount;
  return new Set(mine.map((item) => (item.kind === 'entry' ? item.entry : ''))).size;
}

/** `/v1/vaults/{vault}/entries` → the decoded vault ref, or undefined for any other path. */
export function entriesPathVault(pathname: string): string | undefined {
  const match = /^\/v1\/vaults\/([^/]+)\/entries$/.exec(pathname);
  if (match === null) return undefined;
  try {
    return decodeURIComponent(match[1] ?? '');
  } catch {
    throw new VkError('invalid_request', 'the vault in the path is not valid percent-encoding');
  }
}
