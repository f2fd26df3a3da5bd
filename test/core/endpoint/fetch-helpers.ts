/** Helpers shared by the /v1/fetch tests: allowed hosts set through the admin API, and the call itself. */
import type { AgentClient, AgentResponse } from '../../helpers/agent-client.js';
import type { EndpointFixture } from './endpoint-fixture.js';

export async function allowHosts(f: EndpointFixture, title: string, hosts: readonly string[]): Promise<void> {
  const entry = [f.bank, f.payroll, f.github].find((e) => e.title === title);
  if (entry === undefined) throw new Error(`no entry ${title}`);
  await f.t.admin.updateEntry({ grant: f.t.grant, vaultId: entry.vaultId, entryId: entry.id, changes: { allowedHosts: hosts } });
}

export function fetchVia(a: AgentClient, token: string, request: Record<string, unknown>, reason: string | null = 'sync the ledger'): Promise<AgentResponse> {
  return a.call('POST', '/v1/fetch', { token, json: { request, ...(reason === null ? {} : { reason }) } });
}
