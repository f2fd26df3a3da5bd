/**
 * Which entries the HTTPS proxy may put into requests for a token: those it may use (or read) that
 * hold an API key or password and have an injection setting, for all their allowed hosts or per
 * host. Those hosts are what the proxy intercepts and what the engine signs leaf certificates for.
 */
import { scopeAllows, scopeMentionsVault, type ScopeItem } from '../auth/scopes.js';
import type { EntryInjection, EntrySummary, VaultInfo } from '../../shared/model.js';
import { hostAllowed } from '../fetch/host-policy.js';
import type { EndpointRequest } from './endpoint-context.js';

export interface Injecting {
  readonly vault: VaultInfo;
  readonly summary: EntrySummary;
}

/** How the secret goes into a request for `origin`: the host's own setting, else the entry's; undefined when neither applies. */
export function injectionFor(summary: EntrySummary, origin: URL): EntryInjection | undefined {
  if (!hostAllowed(origin, summary.allowedHosts)) return undefined;
  const own = Object.entries(summary.injectionByHost ?? {}).find(([host]) => hostAllowed(origin, [host]));
  return own?.[1] ?? summary.injection;
}

/** The allowed hosts the entry has a setting for (all of them when it has one for every host). */
function injectingHosts(summary: EntrySummary): readonly string[] {
  if (summary.injection !== undefined) return summary.allowedHosts;
  return summary.allowedHosts.filter((h) => summary.injectionByHost?.[h] !== undefined);
}

export function injectingEntries(r: EndpointRequest, scope: readonly ScopeItem[]): Injecting[] {
  const vaults = r.state.services.vaults;
  const out: Injecting[] = [];
  for (const vault of vaults.listVaults().filter((v) => scopeMentionsVault(scope, v))) {
    for (const summary of vaults.listEntries(vault.id)) {
      if (injectingHosts(summary).length === 0) continue;
      const target = { vaultId: vault.id, vaultName: vault.name, entryId: summary.id, entryTitle: summary.title };
      const usable = scopeAllows(scope, { ...target, action: 'use' }) || scopeAllows(scope, { ...target, action: 'read' });
      const hasSecret = summary.fieldNames.includes('api_key') || summary.fieldNames.includes('password');
      if (usable && hasSecret) out.push({ vault, summary });
    }
  }
  return out;
}

/** The hosts the proxy may intercept for this token, sorted, without repeats. */
export function interceptedHosts(r: EndpointRequest, scope: readonly ScopeItem[]): string[] {
  return [...new Set(injectingEntries(r, scope).flatMap((e) => injectingHosts(e.summary)))].sort();
}
