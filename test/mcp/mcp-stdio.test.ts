/**
 * `valetkey mcp` over stdio, end to end: a real engine process (keychain mode), the official MCP
 * SDK client spawning the real program with VALETKEY_ENROLL_CODE, a real target API. Every message
 * the client receives is recorded, and a tap on the engine's socket records what the MCP server
 * sent there, so the test knows the actual access token and proofs and can prove the client never
 * saw them.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntrySummary, VaultInfo } from '../../src/shared/model.js';
import { PROCESS_SETUP_TIMEOUT_MS } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { startTargetServer, type TargetServer } from '../helpers/target-server.js';
import { openDaemonFixture, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';
import { credentialsIn, resultText, startSocketTap, startStdioMcp, type SocketTap, type StdioMcp } from './mcp-fixture.js';

const keychain = keychainAvailability();
const SECRET = 'vksec-MCP-bank-pw-5c1e88a0d7f2';
const BANK = 'vk://Accounting/Bank/password';
const TOOLS = ['get_secret', 'list_entries', 'list_vaults', 'request_access', 'use_secret'];

describe.skipIf(keychain.skip)(`valetkey mcp over stdio ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let target: TargetServer;
  let tap: SocketTap;
  let mcp: StdioMcp;
  let vault: VaultInfo;
  let bank: EntrySummary;
  let tokenId: string;

  beforeAll(async () => {
    fx = await openDaemonFixture();
    target = await startTargetServer();
    vault = await fx.person.createVault({ grant: fx.grant, vault: { name: 'Accounting' } });
    bank = await fx.person.createEntry({
      grant: fx.grant,
      vaultId: vault.id,
      entry: { title: 'Bank', kind: 'login', fields: { username: 'acme', password: SECRET }, allowedHosts: [target.host] },
    });
    const created = await fx.person.createToken({ grant: fx.grant, token: { name: 'mcp-bot', vaults: [vault.id], actions: ['read', 'use'], lifespanSeconds: 3600 } });
    tokenId = created.token.id;
    tap = await startSocketTap(join(fx.home, 'tap.sock'), fx.discovery.socketPath);
    mcp = await startStdioMcp(fx.home, { VALETKEY_ENROLL_CODE: created.enrollmentCode, VALETKEY_AGENT_NAME: 'mcp-bot', VALETKEY_AGENT_URL: `unix:${tap.path}` });
  }, PROCESS_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await mcp?.close();
    await tap?.close();
    await target?.close();
    await fx?.close();
  });

  it('lists exactly the five tools, each described with an input schema, and none that approves', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const t of tools) {
      expect(t.description?.length ?? 0).toBeGreaterThan(60);
      expect(t.inputSchema.type).toBe('object');
    }
    const get = tools.find((t) => t.name === 'get_secret');
    expect(get?.inputSchema.required).toEqual(expect.arrayContaining(['reference', 'reason']));
    expect(tools.some((t) => /approve|grant|allow|unlock/i.test(t.name))).toBe(false);
    expect(mcp.client.getServerVersion()?.name).toBe('valetkey');
  });

  it('list_vaults and list_entries show what the token reaches, never a value', async () => {
    const vaults = JSON.parse(resultText(await mcp.client.callTool({ name: 'list_vaults', arguments: {} })));
    expect(vaults.vaults).toEqual([expect.objectContaining({ id: vault.id, name: 'Accounting', actions: ['read', 'use'] })]);
    const entries = JSON.parse(resultText(await mcp.client.callTool({ name: 'list_entries', arguments: { vault: 'Accounting' } })));
    expect(entries.entries).toEqual([expect.objectContaining({ id: bank.id, title: 'Bank', fieldNames: expect.arrayContaining(['password']) })]);
    expect(mcp.transport.text()).not.toContain(SECRET);
  });

  it('get_secret returns the value as text, and the engine audits the read with the reason', async () => {
    const reason = 'mcp e2e: pay invoice 42';
    const result = await mcp.client.callTool({ name: 'get_secret', arguments: { reference: BANK, reason } });
    expect(result.isError).toBeFalsy();
    expect(resultText(result)).toBe(SECRET);
    const rows = (await fx.person.queryAudit({ action: 'secret.read', reasonContains: 'invoice 42', limit: 10 })).rows;
    expect(rows).toEqual([expect.objectContaining({ agent: 'mcp-bot', tokenId, vaultId: vault.id, entryId: bank.id, field: 'password', outcome: 'allowed', reason })]);
  });

  it('get_secret on a reference outside the token is a readable refusal, nothing revealed', async () => {
    const result = await mcp.client.callTool({ name: 'get_secret', arguments: { reference: 'vk://Elsewhere/Thing/password', reason: 'probing' } });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toMatch(/^insufficient_scope: .*request_access/);
  });

  it('use_secret sends the secret only to the allowed host and the client gets the answer redacted', async () => {
    const before = target.received.length;
    const result = await mcp.client.callTool({
      name: 'use_secret',
      arguments: { request: { method: 'POST', url: `${target.url}/charge`, headers: { Authorization: `Bearer {{${BANK}}}` }, body: { amount: 42 } }, reason: 'mcp e2e: charge card' },
    });
    expect(result.isError).toBeFalsy();
    // The API really got the secret...
    expect(target.received.slice(before).map((r) => r.headers.authorization)).toEqual([`Bearer ${SECRET}`]);
    // ...and echoed it back, which the engine redacted before the MCP client saw anything.
    const answer = JSON.parse(resultText(result));
    expect(answer.status).toBe(200);
    expect(answer.redactions).toBeGreaterThan(0);
    expect(answer.body).toContain(`[REDACTED:${BANK}]`);
    expect(resultText(result)).not.toContain(SECRET);
    const rows = (await fx.person.queryAudit({ action: 'secret.use', limit: 10 })).rows;
    expect(rows).toEqual([expect.objectContaining({ tokenId, outcome: 'allowed', reason: 'mcp e2e: charge card' })]);
  });

  it('use_secret to a host not on the entry’s list is refused and nothing is sent', async () => {
    const other = await startTargetServer();
    try {
      const result = await mcp.client.callTool({ name: 'use_secret', arguments: { request: { url: `${other.url}/x`, headers: { 'X-Key': `{{${BANK}}}` } }, reason: 'exfiltrate' } });
      expect(result.isError).toBe(true);
      expect(resultText(result)).toMatch(/^host_not_allowed:/);
      expect(other.connections()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('the access token and the DPoP proofs appear nowhere in what the client received, nor on the server’s stderr', () => {
    const { tokens, proofs } = credentialsIn(tap.traffic());
    expect(tokens.length).toBeGreaterThan(0);
    expect(proofs.length).toBeGreaterThan(3);
    const seen = `${mcp.transport.text()}\n${mcp.stderr()}`;
    for (const secret of [...tokens, ...proofs]) {
      expect(seen).not.toContain(secret);
      // Not even the signature part, in case something re-encoded the header or claims.
      expect(seen).not.toContain(secret.split('.')[2] ?? secret);
    }
    expect(seen).not.toMatch(/eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{20,}/);
    expect(mcp.transport.errors).toEqual([]);
  });

  it('the enrolled token lives only as long as the server: it is revoked when the client closes', async () => {
    expect((await fx.person.listTokens({ status: 'active' })).map((t) => t.id)).toContain(tokenId);
    await mcp.close();
    const revoked = await fx.person.listTokens({ status: 'revoked' });
    expect(revoked.map((t) => t.id)).toContain(tokenId);
  });
});
