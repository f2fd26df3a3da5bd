/**
 * Agent access end to end, across processes: a real `valetkey daemon` (keychain mode),
 * the person on the admin API from this test process (grants with the passphrase, then a grant
 * session), and agents each in their OWN process with their own key, finding the engine through
 * discovery.json. Nothing is shared in memory between the three.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantProof } from '../../src/shared/admin-api.js';
import type { ApprovalInfo, VaultInfo } from '../../src/shared/model.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { AgentProcess } from './agent-process-client.js';
import { openDaemonFixture, waitFor, type DaemonFixture } from './daemon-fixture.js';

const keychain = keychainAvailability();
const APPROVAL_TIMEOUT_MS = 6000;
const SECRETS = { bank: 'vksec-E2E-bank-pw-2b7e91d04c', deploy: 'vksec-E2E-deploy-key-8f05c3a61e', payroll: 'vksec-E2E-payroll-d93a17c2b4' } as const;
const BANK = 'vk://Accounting/Bank/password';
const DEPLOY = 'vk://Ops/Deploy/api_key';
const PAYROLL = 'vk://Payroll/Salaries/api_key';

describe.skipIf(keychain.skip)(`agent access across processes ${keychain.reason}`, () => {
  let fx: DaemonFixture;
  let session: GrantProof;
  let accounting: VaultInfo;
  let ops: VaultInfo;
  let payroll: VaultInfo;
  const agents: AgentProcess[] = [];

  beforeAll(async () => {
    fx = await openDaemonFixture({ VALETKEY_APPROVAL_TIMEOUT_MS: String(APPROVAL_TIMEOUT_MS) });
    const grant = fx.grant;
    accounting = await fx.person.createVault({ grant, vault: { name: 'Accounting' } });
    ops = await fx.person.createVault({ grant, vault: { name: 'Ops' } });
    payroll = await fx.person.createVault({ grant, vault: { name: 'Payroll', approval: { mode: 'every_access' } } });
    await fx.person.createEntry({ grant, vaultId: accounting.id, entry: { title: 'Bank', kind: 'login', fields: { username: 'acme', password: SECRETS.bank } } });
    await fx.person.createEntry({ grant, vaultId: ops.id, entry: { title: 'Deploy', kind: 'api_key', fields: { apiKey: SECRETS.deploy } } });
    await fx.person.createEntry({ grant, vaultId: payroll.id, entry: { title: 'Salaries', kind: 'api_key', fields: { apiKey: SECRETS.payroll } } });
    // Approving prompts one after another, as the dashboard does: one passphrase, a short session.
    session = { session: (await fx.person.openGrantSession({ passphrase: fx.grant.passphrase, minutes: 15 })).session };
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    await fx?.close();
  });

  function agent(via: 'tcp' | 'socket' = 'tcp'): AgentProcess {
    const a = AgentProcess.start(fx.home, via);
    agents.push(a);
    return a;
  }

  async function enrolled(vaultId: string, name: string, via: 'tcp' | 'socket' = 'tcp'): Promise<{ a: AgentProcess; tokenId: string }> {
    const created = await fx.person.createToken({ grant: session, token: { name, vaults: [vaultId], actions: ['read'], lifespanSeconds: 3600 } });
    const a = agent(via);
    const res = await a.send('enroll', { code: created.enrollmentCode, name });
    expect([res.status, res.body.token_type, res.hadToken]).toEqual([200, 'DPoP', true]);
    return { a, tokenId: created.token.id };
  }

  it('a token made by the person is redeemed by a separate agent process, resolves with a reason that is audited, and stops at the very next request once revoked', async () => {
    const { a, tokenId } = await enrolled(accounting.id, 'books-bot');
    const reason = 'reconcile the March statement (e2e)';
    const read = await a.send('resolve', { refs: [BANK], reason });
    expect([read.status, read.body.values]).toEqual([200, { [BANK]: SECRETS.bank }]);

    const [row] = (await fx.person.queryAudit({ action: 'secret.read', reasonContains: 'March statement', limit: 10 })).rows;
    expect(row).toMatchObject({ actor: 'agent', agent: 'books-bot', tokenId, keyThumbprint: await a.jkt(), vaultId: accounting.id, field: 'password', outcome: 'allowed', reason });
    expect(JSON.stringify(row)).not.toContain(SECRETS.bank);

    expect(await fx.person.revokeToken({ tokenId })).toEqual({ revoked: 1 });
    const refused = await a.send('resolve', { refs: [BANK], reason: 'after the revocation' });
    expect([refused.status, refused.body.error]).toEqual([401, 'invalid_token']);
    expect(JSON.stringify(refused.body)).not.toContain(SECRETS.bank);
    // Refusal rows are committed without holding up the answer: wait for it to land.
    const refusal = await waitFor(async () => (await fx.person.queryAudit({ tokenId, outcome: 'refused', limit: 10 })).rows[0], 'the refusal row');
    expect(refusal).toMatchObject({ tokenId, errorCode: 'invalid_token', agent: 'books-bot' });
  });

  describe('device flow', () => {
    const scope = (): string => `vault:${accounting.id}:read vault:${ops.id}:read`;

    async function ask(a: AgentProcess, clientId: string): Promise<{ requestId: string; userCode: string }> {
      const started = await a.send('device', { clientId, scope: scope(), reason: `${clientId} needs the books` });
      expect(started.status).toBe(200);
      const shown = await waitFor(async () => (await fx.person.listDeviceRequests({ status: 'pending' })).find((r) => r.clientName === clientId), 'the device prompt');
      // The person compares the code in the prompt with what the agent printed.
      expect(shown.userCode).toBe(started.body.user_code);
      expect(shown.keyThumbprint).toBe(await a.jkt());
      return { requestId: shown.id, userCode: shown.userCode };
    }

    it('approve: the agent polls (pending, then its token) and reads', async () => {
      const a = agent();
      const { requestId } = await ask(a, 'ci-bot');
      expect((await a.send('poll')).body.error).toBe('authorization_pending');
      const polling = a.send('poll', { untilDone: true }); // waits out the 5 s interval
      await fx.person.decideDeviceRequest({ grant: session, requestId, decision: 'approve' });
      const granted = await polling;
      expect([granted.status, granted.body.token_type, granted.hadToken]).toEqual([200, 'DPoP', true]);
      expect(granted.body.scope.split(' ').sort()).toEqual([`vault:${accounting.id}:read`, `vault:${ops.id}:read`].sort());
      const read = await a.send('resolve', { refs: [BANK, DEPLOY], reason: 'ship it' });
      expect(read.body.values).toEqual({ [BANK]: SECRETS.bank, [DEPLOY]: SECRETS.deploy });
    });

    it('approve narrowed: fewer vaults and a shorter life than asked', async () => {
      const a = agent();
      const { requestId } = await ask(a, 'narrow-bot');
      const decided = await fx.person.decideDeviceRequest({ grant: session, requestId, decision: 'approve', narrowed: { vaults: [accounting.id], lifespanSeconds: 600 } });
      expect(decided.grantedScope).toBe(`vault:${accounting.id}:read`);
      const granted = await a.send('poll');
      expect([granted.status, granted.body.scope]).toEqual([200, `vault:${accounting.id}:read`]);
      expect(granted.body.expires_in).toBeLessThanOrEqual(600);
      expect((await a.send('resolve', { refs: [BANK], reason: 'books' })).body.values).toEqual({ [BANK]: SECRETS.bank });
      const outside = await a.send('resolve', { refs: [DEPLOY], reason: 'not granted' });
      expect([outside.status, outside.body.error]).toEqual([403, 'insufficient_scope']);
    });

    it('deny: the poll says access_denied and no token exists', async () => {
      const a = agent();
      const { requestId } = await ask(a, 'denied-bot');
      await fx.person.decideDeviceRequest({ grant: session, requestId, decision: 'deny' });
      const denied = await a.send('poll');
      expect([denied.status, denied.body.error, denied.hadToken]).toEqual([400, 'access_denied', false]);
      const jkt = await a.jkt();
      expect((await fx.person.listTokens({})).filter((t) => t.keyThumbprint === jkt)).toEqual([]);
    });
  });

  describe('a vault that asks first', () => {
    const pendingFor = (tokenId: string): Promise<ApprovalInfo> =>
      waitFor(async () => (await fx.person.listApprovals({ status: 'pending' })).find((p) => p.tokenId === tokenId), 'the approval prompt');

    it('allow once, then allow for N minutes (no more prompts), over the Unix socket', async () => {
      const { a, tokenId } = await enrolled(payroll.id, 'payroll-bot', 'socket');
      const first = a.send('resolve', { refs: [PAYROLL], reason: 'run payroll' });
      const prompt = await pendingFor(tokenId);
      expect(prompt).toMatchObject({ agent: 'payroll-bot', vaultName: 'Payroll', entryTitle: 'Salaries', reason: 'run payroll', keyThumbprint: await a.jkt() });
      await fx.person.decideApproval({ grant: session, approvalId: prompt.id, decision: 'allow_once' });
      expect((await first).body.values).toEqual({ [PAYROLL]: SECRETS.payroll });

      const second = a.send('resolve', { refs: [PAYROLL], reason: 'run payroll again' });
      const again = await pendingFor(tokenId); // allow once stood for one access only
      expect(again.id).not.toBe(prompt.id);
      await fx.person.decideApproval({ grant: session, approvalId: again.id, decision: 'allow_for', minutes: 5 });
      expect((await second).body.values).toEqual({ [PAYROLL]: SECRETS.payroll });
      const third = await a.send('resolve', { refs: [PAYROLL], reason: 'within the five minutes' });
      expect(third.body.values).toEqual({ [PAYROLL]: SECRETS.payroll });
      expect((await fx.person.listApprovals({ status: 'pending' })).filter((p) => p.tokenId === tokenId)).toEqual([]);

      const reads = (await fx.person.queryAudit({ tokenId, action: 'secret.read', limit: 10 })).rows;
      expect(reads.map((r) => [r.outcome, r.approvalId]).reverse()).toEqual([
        ['allowed', prompt.id],
        ['allowed', again.id],
        ['allowed', again.id],
      ]);
    });

    it('deny, and timeout: nothing leaves, and the late click does nothing', async () => {
      const { a, tokenId } = await enrolled(payroll.id, 'other-bot');
      const denied = a.send('resolve', { refs: [PAYROLL], reason: 'try it' });
      await fx.person.decideApproval({ grant: session, approvalId: (await pendingFor(tokenId)).id, decision: 'deny' });
      const d = await denied;
      expect([d.status, d.body.error]).toEqual([403, 'approval_denied']);

      const startedAt = Date.now();
      const ignored = a.send('resolve', { refs: [PAYROLL], reason: 'nobody is there' });
      const unanswered = await pendingFor(tokenId);
      const t = await ignored;
      expect([t.status, t.body.error]).toEqual([408, 'approval_timeout']);
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(APPROVAL_TIMEOUT_MS - 500);
      const late = await fx.person.decideApproval({ grant: session, approvalId: unanswered.id, decision: 'allow_for', minutes: 5 });
      expect([late.status, late.decision]).toEqual(['timed_out', null]);
      expect(JSON.stringify([d.body, t.body])).not.toContain(SECRETS.payroll);
      const rows = await waitFor(async () => {
        const found = (await fx.person.queryAudit({ tokenId, action: 'secret.read', limit: 10 })).rows;
        return found.length >= 2 ? found : undefined;
      }, 'both refusal rows');
      expect(rows.map((r) => [r.outcome, r.errorCode]).reverse()).toEqual([
        ['refused', 'approval_denied'],
        ['refused', 'approval_timeout'],
      ]);
    });
  });
});
