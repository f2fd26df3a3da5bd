/**
 * A refusal row names the target the refused step was about, not whichever target the request
 * touched last: each step returns what it resolved and the row is built from that.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient } from '../../helpers/agent-client.js';
import { startTargetServer, type TargetServer } from '../../helpers/target-server.js';
import { enrolledToken, openEndpointFixture, resolve, type EndpointFixture } from './endpoint-fixture.js';
import { allowHosts, fetchVia } from './fetch-helpers.js';

let fx: EndpointFixture;
let agent: AgentClient;
let target: TargetServer;

beforeEach(async () => {
  fx = await openEndpointFixture();
  agent = await AgentClient.create(fx.tcp);
  target = await startTargetServer();
  await allowHosts(fx, 'Bank', [target.host]);
});
afterEach(async () => {
  await target.close();
  await fx.close();
});

async function refusedRows(action: string, code: string): Promise<{ vaultId: string | null; entryId: string | null; field: string | null }[]> {
  const rows = (await fx.auditRows(action)).filter((r) => r.outcome === 'refused' && r.errorCode === code);
  return rows.map((r) => ({ vaultId: r.vaultId, entryId: r.entryId, field: r.field }));
}

describe('refusal rows name the target that was refused', () => {
  const PAYROLL = '{{vk://Accounting/Payroll%20API/api_key}}';
  const BANK = '{{vk://Accounting/Bank/password}}';
  it.each([
    ['first', { 'X-A': PAYROLL, 'X-B': BANK }],
    ['last', { 'X-A': BANK, 'X-B': PAYROLL }],
  ])('a fetch naming two entries, the one not allowing the host %s, names that entry', async (_order, headers) => {
    // Bank allows the target's host; Payroll API allows none. Both are resolved before the host check.
    const { accessToken } = await enrolledToken(fx, agent, { actions: ['use'] });
    const res = await fetchVia(agent, accessToken, { url: `${target.url}/x`, headers });
    expect(res.body.error).toBe('host_not_allowed');
    expect(target.connections()).toBe(0);
    expect(await refusedRows('secret.use', 'host_not_allowed')).toEqual([{ vaultId: fx.accounting.id, entryId: fx.payroll.id, field: 'api_key' }]);
  });

  it('a resolve whose second reference is outside the token’s entries names that entry, not the first', async () => {
    const { accessToken } = await enrolledToken(fx, agent, { entries: [{ vault: 'Accounting', entry: 'Bank' }] });
    const res = await resolve(agent, accessToken, ['vk://Accounting/Bank/password', 'vk://Accounting/Payroll%20API/api_key']);
    expect(res.body.error).toBe('insufficient_scope');
    expect(await refusedRows('secret.read', 'insufficient_scope')).toEqual([{ vaultId: fx.accounting.id, entryId: fx.payroll.id, field: 'api_key' }]);
  });

  it('a resolve refused for a reference to a missing field names that reference after an earlier one was read', async () => {
    const { accessToken } = await enrolledToken(fx, agent);
    const res = await resolve(agent, accessToken, ['vk://Accounting/Bank/password', 'vk://Accounting/Payroll%20API?attribute=otp']);
    expect(res.status).toBe(400);
    expect(await refusedRows('secret.read', 'invalid_request')).toEqual([{ vaultId: fx.accounting.id, entryId: fx.payroll.id, field: 'otp' }]);
  });
});
