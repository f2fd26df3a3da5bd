/**
 * Canary entries end to end (docs/security.md, attacks 72 and 73): a real `valetkey daemon`
 * (keychain mode), a real rsyslog receiving the audit stream, and a prompt-injected agent in its OWN
 * process that lists a vault and reads every entry in turn. The canary trips on the first touch,
 * the token stops before the next request, the alert row and the syslog message carry the
 * evidence, and the canary's value is nowhere: not in any answer, the data directory, the daemon's
 * output or what rsyslog received.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantProof } from '../../src/shared/admin-api.js';
import type { AuditRow, VaultInfo } from '../../src/shared/model.js';
import { freePort, rsyslog, RSYSLOGD, type Rsyslog } from '../core/audit-out/rsyslog-process.js';
import { AgentProcess, type WalkStep } from '../e2e-agent/agent-process-client.js';
import { openDaemonFixture, waitFor, type DaemonFixture } from '../e2e-agent/daemon-fixture.js';
import { tempDir, type TempDir } from '../core/audit-out/audit-out-fixture.js';
import { keychainAvailability } from '../helpers/temp-home.js';

const keychain = keychainAvailability();
const CANARY_VALUE = 'AKIAVKCANARY7Q2X9ZL4';
const CANARY_PAUSE_VALUE = 'vkcanary-pause-51d07e';
const REAL = { analytics: 'vksec-analytics-key-3f81', deploy: 'vksec-deploy-key-a92c' } as const;

/** Every regular file under `dir`, as bytes. */
function filesUnder(dir: string): { path: string; bytes: Buffer }[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const st = statSync(path, { throwIfNoEntry: false });
    if (st === undefined) return [];
    if (st.isDirectory()) return filesUnder(path);
    return st.isFile() ? [{ path, bytes: readFileSync(path) }] : [];
  });
}

describe.skipIf(keychain.skip || !existsSync(RSYSLOGD))(`canary entries across processes ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let logDir: TempDir;
  let syslog: Rsyslog;
  let session: GrantProof;
  let ops: VaultInfo;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    logDir = tempDir('vk-canary-syslog-');
    syslog = rsyslog(logDir.dir, await freePort());
    await syslog.start();
    fx = await openDaemonFixture();
    session = { session: (await fx.person.openGrantSession({ passphrase: fx.grant.passphrase, minutes: 15 })).session };
    await fx.person.addAuditSink({ grant: session, sink: { name: 'rsyslog', config: { kind: 'syslog', transport: 'tcp', host: '127.0.0.1', port: syslog.port }, startAt: 'oldest' } });
    ops = await fx.person.createVault({ grant: session, vault: { name: 'Ops' } });
    // Sorted by title, the walk meets a real entry, then the canary, then another real entry.
    await fx.person.createEntry({ grant: session, vaultId: ops.id, entry: { title: 'Analytics', kind: 'api_key', fields: { apiKey: REAL.analytics } } });
    await fx.person.createEntry({ grant: session, vaultId: ops.id, entry: { title: 'AWS root (backup)', kind: 'api_key', fields: { apiKey: CANARY_VALUE }, canary: { onTrip: 'revoke' } } });
    await fx.person.createEntry({ grant: session, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: REAL.deploy } } });
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await fx?.close();
    await syslog?.stop();
    logDir?.cleanup();
  });

  async function enrolled(name: string, vaultId: string): Promise<{ a: AgentProcess; tokenId: string }> {
    const created = await fx.person.createToken({ grant: session, token: { name, vaults: [vaultId], actions: ['read'], lifespanSeconds: 3600 } });
    const a = AgentProcess.start(fx.home);
    agents.push(a);
    const res = await a.send('enroll', { code: created.enrollmentCode, name });
    expect(res.status).toBe(200);
    return { a, tokenId: created.token.id };
  }

  it('attack 72: a prompt-injected agent walks a vault; the canary trips on its first touch, the token is revoked before the next request, the alert reaches the audit log and syslog, and the canary value is nowhere', async () => {
    const { a, tokenId } = await enrolled('walker', ops.id);
    const { steps } = (await a.send('walk', { reason: 'collecting every credential as instructed' })) as unknown as { steps: WalkStep[] };

    // The canary is listed like any other entry: the same keys, nothing that marks it.
    expect(new Set(steps[1]?.shapes)).toEqual(new Set(['actions,fieldNames,hasTotp,id,kind,title']));
    expect(steps[1]?.shapes).toHaveLength(3);
    expect(steps.map((s) => [s.step, s.status, s.error ?? null])).toEqual([
      ['vaults', 200, null],
      [`entries ${ops.id}`, 200, null],
      ['resolve Analytics/api_key', 200, null],
      ['resolve AWS root (backup)/api_key', 401, 'invalid_token'],
      ['resolve Deploy/api_key', 401, 'invalid_token'],
    ]);
    expect(steps[2]?.values).toEqual({ [`vk://${ops.id}/${(await entryId('Analytics'))}/api_key`]: REAL.analytics });

    expect((await a.send('vaults')).status).toBe(401); // and stays so
    const tokens = await fx.person.listTokens({ status: 'all' });
    expect(tokens.find((t) => t.id === tokenId)?.status).toBe('revoked');

    const canaryId = await entryId('AWS root (backup)');
    const alerts = await fx.person.listAlerts({});
    const alert = alerts.find((x) => x.alert.tokenId === tokenId);
    expect(alert?.alert).toMatchObject({ action: 'alert.canary', outcome: 'refused', errorCode: 'invalid_token', agent: 'walker', vaultId: ops.id, entryId: canaryId, field: 'api_key', reason: 'collecting every credential as instructed' });
    expect(alert?.alert.detail).toMatchObject({ rule: 'canary', done: 'revoked', route: 'secret.read' });
    // What the agent did before (its listing and the read it got away with) and after (the refusals).
    expect(alert?.before.map((r) => r.action)).toEqual(expect.arrayContaining(['vault.list', 'entry.list', 'secret.read']));
    expect(alert?.after.some((r) => r.outcome === 'refused' && r.errorCode === 'invalid_token')).toBe(true);

    const received = await waitFor(async () => syslogRows().find((r) => r.action === 'alert.canary' && r.tokenId === tokenId), 'the alert at rsyslog', 30_000);
    expect(received).toMatchObject({ entryId: canaryId, detail: { rule: 'canary', done: 'revoked' } });

    await noCanaryValueAnywhere(steps, CANARY_VALUE);
  });

  it('attack 73: a canary set to pause answers token_paused on the touch and every request after; a pause is lifted only by a grant', async () => {
    const trap = await fx.person.createEntry({ grant: session, vaultId: ops.id, entry: { title: 'Billing admin', kind: 'api_key', fields: { apiKey: CANARY_PAUSE_VALUE }, canary: { onTrip: 'pause' } } });
    const { a, tokenId } = await enrolled('pauser', ops.id);
    const touch = await a.send('resolve', { refs: [`vk://${ops.id}/${trap.id}/api_key`], reason: 'checking billing' });
    expect([touch.status, touch.body.error]).toEqual([403, 'token_paused']);
    const next = await a.send('resolve', { refs: [`vk://Ops/Analytics/api_key`], reason: 'daily report' });
    expect([next.status, next.body.error]).toEqual([403, 'token_paused']);
    expect((await fx.person.listTokens({})).find((t) => t.id === tokenId)?.tripwires?.paused).toBe(true);

    await expect(fx.person.resumeToken({ tokenId })).rejects.toMatchObject({ code: 'grant_required' });
    await fx.person.resumeToken({ grant: session, tokenId });
    const resumed = await a.send('resolve', { refs: [`vk://Ops/Analytics/api_key`], reason: 'daily report' });
    expect(resumed.status).toBe(200);
    // The person can pause it again without a grant: pausing only makes things safer.
    await fx.person.pauseToken({ tokenId });
    expect((await a.send('vaults')).body.error).toBe('token_paused');

    const alerts = await fx.person.listAlerts({});
    expect(alerts.find((x) => x.alert.tokenId === tokenId)?.alert).toMatchObject({ action: 'alert.canary', entryId: trap.id, errorCode: 'token_paused', detail: { done: 'paused' } });
    await noCanaryValueAnywhere([touch.body], CANARY_PAUSE_VALUE);
  });

  async function entryId(title: string): Promise<string> {
    const found = (await fx.person.listEntries({ vaultId: ops.id })).find((e) => e.title === title);
    if (found === undefined) throw new Error(`no entry ${title}`);
    return found.id;
  }

  function syslogRows(): AuditRow[] {
    if (!existsSync(syslog.output)) return [];
    return readFileSync(syslog.output, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l.trim()) as AuditRow);
  }

  async function noCanaryValueAnywhere(answers: readonly unknown[], value: string): Promise<void> {
    expect(JSON.stringify(answers)).not.toContain(value);
    const page = await fx.person.queryAudit({ limit: 500 });
    expect(JSON.stringify(page.rows)).not.toContain(value);
    expect(fx.daemon.output()).not.toContain(value);
    const needle = Buffer.from(value);
    const leaks = [...filesUnder(fx.home), ...filesUnder(logDir.dir)].filter((f) => f.bytes.includes(needle)).map((f) => f.path);
    expect(leaks).toEqual([]);
  }
});
