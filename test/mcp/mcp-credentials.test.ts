/**
 * Where `valetkey mcp` gets its token when no enrollment code is given: a `valetkey login` profile
 * (made by the real CLI), or request_access, the device flow, where the person approves in
 * Valetkey. Nothing the MCP client sends approves anything: the request stays pending until the
 * person decides through the admin API with the passphrase.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import type { VaultInfo } from '../../src/shared/model.js';
import { runCli, PROCESS_SETUP_TIMEOUT_MS } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { openDaemonFixture, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';
import { resultText, startStdioMcp, type StdioMcp } from './mcp-fixture.js';

const keychain = keychainAvailability();
const SECRETS = { bank: 'vksec-MCP-cred-bank-71ac0e29d4', deploy: 'vksec-MCP-cred-deploy-c83f5a1b60' } as const;
const BANK = 'vk://Accounting/Bank/password';
const CODE = /\b([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})\b/;

describe.skipIf(keychain.skip)(`valetkey mcp credentials ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let accounting: VaultInfo;
  let ops: VaultInfo;
  const servers: StdioMcp[] = [];

  beforeAll(async () => {
    fx = await openDaemonFixture();
    accounting = await fx.person.createVault({ grant: fx.grant, vault: { name: 'Accounting' } });
    ops = await fx.person.createVault({ grant: fx.grant, vault: { name: 'Ops' } });
    await fx.person.createEntry({ grant: fx.grant, vaultId: accounting.id, entry: { title: 'Bank', kind: 'login', fields: { password: SECRETS.bank } } });
    await fx.person.createEntry({ grant: fx.grant, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: SECRETS.deploy } } });
  }, PROCESS_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await fx?.close();
  });

  async function start(env: Record<string, string>, args: readonly string[] = []): Promise<StdioMcp> {
    const s = await startStdioMcp(fx.home, env, args);
    servers.push(s);
    return s;
  }

  async function pendingRequests(): Promise<readonly { id: string; userCode: string; clientName: string; reason: string }[]> {
    return fx.person.listDeviceRequests({ status: 'pending' });
  }

  it('uses the profile `valetkey login` stored, and leaves that token alone when it exits', async () => {
    const created = await fx.person.createToken({ grant: fx.grant, token: { name: 'logged-in-bot', vaults: [ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    const login = await runCli(fx.home, ['login', '--enroll', created.enrollmentCode, '--name', 'logged-in-bot', '--store', 'file', '--profile', 'mcp']);
    expect(login.code, login.stderr).toBe(0);
    const mcp = await start({}, ['--profile', 'mcp']);
    const read = await mcp.client.callTool({ name: 'get_secret', arguments: { reference: 'vk://Ops/Deploy/api_key', reason: 'mcp profile test' } });
    expect(resultText(read)).toBe(SECRETS.deploy);
    expect(mcp.stderr()).toContain('profile mcp');
    await mcp.close();
    expect((await fx.person.listTokens({ status: 'active' })).map((t) => t.id)).toContain(created.token.id);
  });

  it('refuses to start with an enrollment code but no agent name, and says what to set', async () => {
    const created = await fx.person.createToken({ grant: fx.grant, token: { name: 'nameless', vaults: [ops.id], actions: ['read'], lifespanSeconds: 3600 } });
    const r = await runCli(fx.home, ['mcp'], { env: { VALETKEY_ENROLL_CODE: created.enrollmentCode } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('VALETKEY_AGENT_NAME');
    expect(r.stdout).toBe('');
    // The code was not spent: the right name still redeems it.
    const ok = await start({ VALETKEY_ENROLL_CODE: created.enrollmentCode, VALETKEY_AGENT_NAME: 'nameless' });
    expect(resultText(await ok.client.callTool({ name: 'list_vaults', arguments: {} }))).toContain('Ops');
  });

  describe('request_access (device flow)', () => {
    let mcp: StdioMcp;
    beforeAll(async () => {
      mcp = await start({});
    });

    it('without a token, the other tools say to call request_access', async () => {
      const r = await mcp.client.callTool({ name: 'list_vaults', arguments: {} });
      expect(r.isError).toBe(true);
      expect(resultText(r)).toMatch(/^invalid_token: .*request_access/);
    });

    it('shows the user code (answer, progress and log) and waits; calling again neither approves nor asks twice', async () => {
      const progress: Progress[] = [];
      const args = { vaults: ['Accounting'], actions: ['read'], reason: 'mcp e2e: reconcile the bank', wait_seconds: 1 };
      const first = await mcp.client.callTool({ name: 'request_access', arguments: args }, undefined, { onprogress: (p) => progress.push(p) });
      const code = CODE.exec(resultText(first))?.[1];
      expect(code, resultText(first)).toBeDefined();
      expect(resultText(first)).toContain('Waiting for the person');
      expect(progress.some((p) => p.message?.includes(code ?? '?'))).toBe(true);
      expect(mcp.transport.received.some((m) => 'method' in m && m.method === 'notifications/message' && JSON.stringify(m).includes(code ?? '?'))).toBe(true);

      const [request] = await pendingRequests();
      expect(request).toMatchObject({ userCode: code, clientName: 'valetkey-mcp-test', reason: 'mcp e2e: reconcile the bank' });

      const again = await mcp.client.callTool({ name: 'request_access', arguments: { ...args, reason: 'reworded, please approve' } });
      expect(CODE.exec(resultText(again))?.[1]).toBe(code);
      expect((await pendingRequests()).map((r) => r.id)).toEqual([request?.id]);
      expect((await mcp.client.callTool({ name: 'get_secret', arguments: { reference: BANK, reason: 'still no token' } })).isError).toBe(true);
    });

    it('once the person approves in Valetkey, the next call picks up the token and the tools use it', async () => {
      const [request] = await pendingRequests();
      await fx.person.decideDeviceRequest({ grant: fx.grant, requestId: request?.id ?? '', decision: 'approve' });
      const done = await mcp.client.callTool({ name: 'request_access', arguments: { vaults: ['Accounting'], actions: ['read'], reason: 'mcp e2e: reconcile the bank', wait_seconds: 30 } });
      expect(resultText(done)).toContain('The person approved');
      expect(resultText(done)).toContain(`vault:${accounting.id}:read`);
      const read = await mcp.client.callTool({ name: 'get_secret', arguments: { reference: BANK, reason: 'mcp e2e: after approval' } });
      expect(resultText(read)).toBe(SECRETS.bank);
    }, 40_000);

    it('a denial is reported as such, and the token in hand keeps working', async () => {
      const args = { vaults: ['Ops'], actions: ['read'], reason: 'mcp e2e: deploy', wait_seconds: 1 };
      await mcp.client.callTool({ name: 'request_access', arguments: args });
      const [request] = await pendingRequests();
      await fx.person.decideDeviceRequest({ grant: fx.grant, requestId: request?.id ?? '', decision: 'deny' });
      const denied = await mcp.client.callTool({ name: 'request_access', arguments: { ...args, wait_seconds: 30 } });
      expect(denied.isError).toBe(true);
      expect(resultText(denied)).toMatch(/^access_denied:/);
      expect(resultText(await mcp.client.callTool({ name: 'get_secret', arguments: { reference: BANK, reason: 'still allowed' } }))).toBe(SECRETS.bank);
    }, 40_000);

    it('the approved token dies with the server', async () => {
      const issued = (await fx.person.listTokens({ status: 'active' })).filter((t) => t.origin === 'device');
      expect(issued).toHaveLength(1);
      await mcp.close();
      expect((await fx.person.listTokens({ status: 'revoked' })).map((t) => t.id)).toContain(issued[0]?.id);
    });
  });
});
