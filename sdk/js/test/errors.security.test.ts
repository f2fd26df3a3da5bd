/**
 * What an agent meets when it may not have the secret, as typed errors, against a real engine in
 * another process: a person denies (or allows) an access to a sensitive vault, Valetkey is locked,
 * agents are paused, the person revoked the token, no reason, a spent code, a denied device
 * request, no engine. In every refused case no value comes back.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentsPausedError,
  ApprovalDeniedError,
  EngineUnreachableError,
  InvalidGrantError,
  InvalidTokenError,
  ReasonRequiredError,
  Valetkey,
  ValetkeyError,
  VaultLockedError,
  type WaitingInfo,
} from '../src/index.js';
import { GRANT, PASSPHRASE, SECRETS, PROCESS_SETUP_TIMEOUT_MS, createToken, eventually, seed, startEngineProcess, type EngineProcess, type Seeded } from './helpers/engine-process.js';

const REASON = 'rotate the deploy key';
const BANK = 'vk://Accounting/Bank/password';
const GITHUB = 'vk://Personal/GitHub/api_key';

describe('SDK typed errors against a running engine', () => {
  let e: EngineProcess;
  let s: Seeded;
  let vk: Valetkey;
  let tokenId: string;

  beforeAll(async () => {
    e = await startEngineProcess();
    s = await seed(e);
    const { code, id } = await createToken(e, { name: 'ops-bot', vaults: [s.accounting.id, s.personal.id] });
    tokenId = id;
    vk = await Valetkey.connect({ reason: REASON, enrollCode: code, name: 'ops-bot', env: e.agentEnv() });
  }, PROCESS_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await vk?.close().catch(() => undefined);
    await e?.stop();
  });

  /** Answers the next pending approval of this test's token as a person would. */
  async function person(decision: 'allow_once' | 'deny', whose = tokenId): Promise<void> {
    const pending = await eventually(async () => {
      const list = (await e.admin('listApprovals', { status: 'pending' })) as { id: string; tokenId: string; reason: string }[];
      return list.find((a) => a.tokenId === whose);
    });
    expect(pending.reason).toBe(REASON);
    await e.admin('decideApproval', { grant: GRANT, approvalId: pending.id, decision });
  }

  it('waits for the person on a sensitive vault: denied is ApprovalDeniedError, allowed returns the value', async () => {
    const [denied] = await Promise.allSettled([vk.read(GITHUB), person('deny')]);
    expect(denied.status).toBe('rejected');
    expect((denied as PromiseRejectedResult).reason).toBeInstanceOf(ApprovalDeniedError);
    expect((denied as PromiseRejectedResult).reason).toMatchObject({ code: 'approval_denied', status: 403 });

    const [allowed] = await Promise.all([vk.read(GITHUB), person('allow_once')]);
    expect(allowed).toBe(SECRETS.github);
  });

  it('says once that it waits for the person (onWaiting), then returns the value', async () => {
    const { code, id } = await createToken(e, { name: 'waiting-bot', vaults: [s.personal.id] });
    const seen: WaitingInfo[] = [];
    let told: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (told = resolve));
    const onWaiting = (info: WaitingInfo): void => {
      seen.push(info);
      told();
    };
    const w = await Valetkey.connect({ reason: REASON, enrollCode: code, name: 'waiting-bot', env: e.agentEnv(), onWaiting });
    try {
      const value = w.read(GITHUB);
      await waiting; // the person answers only once the agent has said it waits
      await person('allow_once', id);
      expect(await value).toBe(SECRETS.github);
      const message = 'waiting for approval in Valetkey (Personal, GitHub; up to 120 s)…';
      expect(seen).toEqual([{ refs: [GITHUB], what: 'Personal, GitHub', upToSeconds: 120, message }]);
    } finally {
      await w.close();
    }
  });

  it('a missing reason is ReasonRequiredError before anything is read', async () => {
    const error = await vk.read(BANK, { reason: '' }).catch((x: unknown) => x);
    expect(error).toBeInstanceOf(ReasonRequiredError);
    expect(String((error as Error).message)).not.toContain(SECRETS.bank);
  });

  it('locked is VaultLockedError until a person unlocks', async () => {
    await e.admin('lock');
    try {
      await expect(vk.read(BANK)).rejects.toBeInstanceOf(VaultLockedError);
    } finally {
      await e.admin('unlock', { passphrase: PASSPHRASE });
    }
    expect(await vk.read(BANK)).toBe(SECRETS.bank);
  });

  it('paused is AgentsPausedError until a person resumes', async () => {
    await e.admin('pauseAgents');
    try {
      await expect(vk.resolve([BANK])).rejects.toBeInstanceOf(AgentsPausedError);
    } finally {
      await e.admin('resumeAgents', { grant: GRANT });
    }
    expect(await vk.read(BANK)).toBe(SECRETS.bank);
  });

  it('a spent enrollment code is InvalidGrantError; a wrong name is invalid_client', async () => {
    const { code } = await createToken(e, { name: 'once-bot', vaults: [s.accounting.id] });
    await expect(Valetkey.connect({ reason: REASON, enrollCode: code, name: 'someone-else', env: e.agentEnv() })).rejects.toMatchObject({ code: 'invalid_client' });
    const first = await Valetkey.connect({ reason: REASON, enrollCode: code, name: 'once-bot', env: e.agentEnv() });
    await first.close();
    await expect(Valetkey.connect({ reason: REASON, enrollCode: code, name: 'once-bot', env: e.agentEnv() })).rejects.toBeInstanceOf(InvalidGrantError);
  });

  it('a denied device request is ApprovalDeniedError (access_denied)', async () => {
    const person = (async () => {
      const pending = await eventually(async () => {
        const list = (await e.admin('listDeviceRequests', { status: 'pending' })) as { id: string; clientName: string }[];
        return list.find((r) => r.clientName === 'greedy-bot');
      });
      await e.admin('decideDeviceRequest', { grant: GRANT, requestId: pending.id, decision: 'deny' });
    })();
    const asked = Valetkey.connect({ reason: 'just curious', scopes: ['vault:Personal:read'], name: 'greedy-bot', env: e.agentEnv(), onUserCode: () => undefined });
    await expect(asked).rejects.toBeInstanceOf(ApprovalDeniedError);
    await expect(asked).rejects.toMatchObject({ code: 'access_denied' });
    await person;
  });

  it('no engine is EngineUnreachableError, from a missing discovery file or a dead socket', async () => {
    await expect(Valetkey.connect({ reason: REASON, enrollCode: 'vke_x', env: { VALETKEY_HOME: join(e.home, 'nothing-here') } })).rejects.toBeInstanceOf(EngineUnreachableError);
    await expect(Valetkey.connect({ reason: REASON, enrollCode: 'vke_x', endpoint: join(e.home, 'no.sock') })).rejects.toBeInstanceOf(EngineUnreachableError);
  });

  it('connect without a code or scopes says what it needs', async () => {
    await expect(Valetkey.connect({ reason: REASON, env: e.agentEnv() })).rejects.toBeInstanceOf(ValetkeyError);
  });

  it('a token the person revoked is InvalidTokenError on the very next call', async () => {
    expect(await vk.read(BANK)).toBe(SECRETS.bank);
    await e.admin('revokeToken', { tokenId });
    await expect(vk.read(BANK)).rejects.toBeInstanceOf(InvalidTokenError);
  });
});
