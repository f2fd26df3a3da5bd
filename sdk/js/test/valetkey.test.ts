/**
 * The SDK against a real engine in another process (`valetkey daemon`, key-file mode): enroll
 * with a code made "in the app", read and resolve with a reason, list, exchange for a sub-agent,
 * the device flow approved by a person through the admin API, a key file across runs, close().
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InsufficientScopeError, InvalidScopeError, InvalidTokenError, Valetkey, type UserCodeInfo } from '../src/index.js';
import { GRANT, SECRETS, PROCESS_SETUP_TIMEOUT_MS, createToken, eventually, seed, startEngineProcess, tokenStatus, type EngineProcess, type Seeded } from './helpers/engine-process.js';

const REASON = 'reconcile the March statement';

describe('Valetkey SDK against a running engine', () => {
  let e: EngineProcess;
  let s: Seeded;
  const open: Valetkey[] = [];

  beforeAll(async () => {
    e = await startEngineProcess();
    s = await seed(e);
  }, PROCESS_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await Promise.allSettled(open.map((vk) => vk.close()));
    await e?.stop();
  });

  async function enrolled(token: Record<string, unknown> = {}, extra: Partial<Parameters<typeof Valetkey.connect>[0]> = {}): Promise<{ vk: Valetkey; id: string }> {
    const { code, id } = await createToken(e, { name: 'accounting-bot', vaults: [s.accounting.id], ...token });
    const vk = await Valetkey.connect({ reason: REASON, enrollCode: code, name: (token.name as string | undefined) ?? 'accounting-bot', env: e.agentEnv(), ...extra });
    open.push(vk);
    return { vk, id };
  }

  it('enrolls over the socket found in the discovery file, reads and resolves with an audited reason', async () => {
    const { vk, id } = await enrolled();
    expect(vk.tokenId).toBe(id);
    expect(vk.name).toBe('accounting-bot');
    expect(vk.scope).toBe(`vault:${s.accounting.id}:read`);
    expect(await vk.read('vk://Accounting/Bank/password')).toBe(SECRETS.bank);
    const values = await vk.resolve(['vk://Accounting/Bank/username', 'vk://Accounting/Payroll API/api_key'], { reason: 'pay the staff' });
    expect(values).toEqual({ 'vk://Accounting/Bank/username': 'acme', 'vk://Accounting/Payroll API/api_key': SECRETS.payroll });

    const tokens = (await e.admin('listTokens', { status: 'active' })) as { id: string; keyThumbprint: string }[];
    expect(tokens.find((t) => t.id === id)?.keyThumbprint).toBe(vk.keyThumbprint);
    const audit = await eventually(async () => {
      const page = await e.admin('queryAudit', { action: 'secret.read', limit: 50 });
      const rows = page.rows as { tokenId: string; reason: string | null }[];
      return rows.filter((r) => r.tokenId === id).length >= 3 ? rows : undefined;
    });
    expect(audit.filter((r) => r.tokenId === id).map((r) => r.reason).sort()).toEqual(['pay the staff', 'pay the staff', REASON]);
    expect(JSON.stringify(audit)).not.toContain(SECRETS.bank);
  });

  it('talks over TCP when VALETKEY_AGENT_URL says so, and lists vaults and entries without values', async () => {
    const { url } = e.discovery();
    const { vk } = await enrolled({}, { env: e.agentEnv({ VALETKEY_HOME: '/nonexistent', VALETKEY_AGENT_URL: url.replace('127.0.0.1', 'localhost') }) });
    const vaults = await vk.vaults();
    expect(vaults.map((v) => v.name)).toEqual(['Accounting']);
    const entries = await vk.entries('Accounting');
    expect(entries.map((x) => x.title).sort()).toEqual(['Bank', 'Payroll API']);
    expect(JSON.stringify(entries)).not.toContain(SECRETS.bank);
    expect(await vk.read('vk://Accounting/Payroll API/api_key')).toBe(SECRETS.payroll);
  });

  it('refuses to send a token to a host that is not loopback', async () => {
    await expect(Valetkey.connect({ reason: REASON, enrollCode: 'vke_x', endpoint: 'http://example.com:80' })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('exchanges for a narrower sub-agent token bound to a new key; wider is refused; revoking the parent revokes the child', async () => {
    const { vk, id } = await enrolled({ name: 'parent-bot' });
    const sub = await vk.exchange({ name: 'sub-bot', scopes: [`entry:${s.accounting.id}/${s.payroll.id}:read`], ttl: 600 });
    open.push(sub);
    expect(sub.name).toBe('sub-bot');
    expect(sub.keyThumbprint).not.toBe(vk.keyThumbprint);
    expect(sub.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 600_000 + 5000);
    expect(await sub.read('vk://Accounting/Payroll API/api_key')).toBe(SECRETS.payroll);
    await expect(sub.read('vk://Accounting/Bank/password')).rejects.toBeInstanceOf(InsufficientScopeError);
    await expect(sub.exchange({ name: 'grandchild', scopes: [`vault:${s.accounting.id}:read`] })).rejects.toBeInstanceOf(InvalidScopeError);

    await e.admin('revokeToken', { tokenId: id });
    await expect(sub.read('vk://Accounting/Payroll API/api_key')).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(vk.read('vk://Accounting/Bank/password')).rejects.toBeInstanceOf(InvalidTokenError);
  });

  it('runs the device flow: shows the user code, waits, and gets the token the person approved', async () => {
    const shown: UserCodeInfo[] = [];
    const person = (async () => {
      const pending = await eventually(async () => {
        const list = (await e.admin('listDeviceRequests', { status: 'pending' })) as { id: string; userCode: string; reason: string; clientName: string }[];
        return list.find((r) => r.clientName === 'ci-bot');
      });
      expect(pending.reason).toBe('deploy release 3.2');
      expect(shown[0]?.userCode).toBe(pending.userCode);
      await e.admin('decideDeviceRequest', { grant: GRANT, requestId: pending.id, decision: 'approve' });
    })();
    const vk = await Valetkey.connect({
      reason: 'deploy release 3.2',
      scopes: ['vault:Accounting:read'],
      lifespan: '1h',
      name: 'ci-bot',
      env: e.agentEnv(),
      onUserCode: (info) => shown.push(info),
    });
    open.push(vk);
    await person;
    expect(shown[0]?.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(await vk.read('vk://Accounting/Bank/password')).toBe(SECRETS.bank);
  });

  it('keeps key and token in a 0600 key file and reuses them on the next run, without a new code', async () => {
    const keyFile = join(e.home, 'agent-key.json');
    const { vk, id } = await enrolled({ name: 'cron-bot' }, { keyFile });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    await vk.close(); // a key-file token outlives close()
    expect(await tokenStatus(e, id)).toBe('active');

    const again = await Valetkey.connect({ reason: REASON, keyFile, env: e.agentEnv() });
    open.push(again);
    expect(again.tokenId).toBe(id);
    expect(again.keyThumbprint).toBe(vk.keyThumbprint);
    expect(await again.read('vk://Accounting/Bank/password')).toBe(SECRETS.bank);
    await again.revoke();
    expect(await tokenStatus(e, id)).toBe('revoked');
  });

  it('close() revokes an ephemeral token at once; later calls fail locally', async () => {
    const { vk, id } = await enrolled({ name: 'short-bot' });
    await vk.close();
    expect(await tokenStatus(e, id)).toBe('revoked');
    await expect(vk.read('vk://Accounting/Bank/password')).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
