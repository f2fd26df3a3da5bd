/**
 * Which entries the HTTPS proxy may put into requests for a token: those it may use (or read) that
 * hold an API key or password and have an injection setting. Their allowed hosts are what the proxy
 * intercepts and what the engine signs leaf certificates for.
 */
import { scopeAllows, scopeMentionsVault, type ScopeItem } from '../auth/scopes.js';
import type { EntryInjection, EntrySummary, VaultInfo } from '../../shared/model.js';
import type { EndpointRequest } from './endpoint-context.js';

export interface Injecting {
  readonly vault: VaultInfo;
  readonly summary: EntrySummary;
  readonly injection: EntryInjection;
}

export function injectingEntries(r: EndpointRequest, scope: readonly ScopeItem[]): Injecting[] {
  const vaults = r.state.services.vaults;
  const out: Injecting[] = [];
  for (const vault of vaults.listVaults().filter((v) => scopeMentionsVault(scope, v))) {
    for (const summary of vaults.listEntries(vault.id)) {
      if (summary.injection === undefined) continue;
      const target = { vaultId: vault.id, vaultName: vault.name, entryId: summary.id, entryTitle: summary.title };
      const usable = scopeAllows(scope, { ...target, action: 'use' }) || scopeAllows(scope, { ...target, action: 'read' });
      const hasSecret = summary.fieldNames.includes('api_key') || summary.fieldNames.includes('password');
      if (usable && hasSecret) out.push({ vault, summary, injection: summary.injection });
    }
  }
  return out;
}

/** The hosts the proxy may intercept for this token, sorted, without repeats. */
export function interceptedHosts(r: EndpointRequest, scope: readonly ScopeItem[]): string[] {
  return [...new Set(injectingEntries(r, scope).flatMap((e) => e.summary.allowedHosts))].sort();
}
