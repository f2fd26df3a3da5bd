/**
 * A real engine (temp dir, real SQLite, key-file keys) with the real token service, vaults of
 * each approval setting, and helpers to build the approval broker and the device flow on it.
 * The clock is the test's: tokens, approvals and device requests all read `clock.now`.
 */
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { TokenRecord } from '../../../src/core/agent/agent-services.js';
import { ApprovalBrokerImpl, type ApprovalBrokerDeps } from '../../../src/core/approvals/approval-broker.js';
import { describeVaultEntry } from '../../../src/core/approvals/describe-vault-entry.js';
import { verifyAccessToken, type AccessTokenClaims } from '../../../src/core/auth/access-token.js';
import type { TokenKey } from '../../../src/core/auth/token-key.js';
import { DeviceFlowImpl, type DeviceFlowDeps } from '../../../src/core/device/device-flow.js';
import { TokenServiceImpl } from '../../../src/core/tokens/token-service.js';
import { VkError } from '../../../src/shared/errors.js';
import type { AdminEvent, AdminEventType, AuditRow, EntrySummary, VaultInfo } from '../../../src/shared/model.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';

export const ISSUER = 'http://127.0.0.1:47012';
export const START = Date.UTC(2031, 5, 1, 9, 0, 0);

type EventOf<T extends AdminEventType> = Extract<AdminEvent, { type: T }>;

export interface AgentFixture {
  readonly t: TestEngine;
  readonly tokens: TokenServiceImpl;
  readonly clock: { now: number };
  readonly events: AdminEvent[];
  /** Approval: none. */
  readonly plain: VaultInfo;
  /** Approval: every_access. */
  readonly ops: VaultInfo;
  /** Approval: once_per_token for 5 minutes. */
  readonly team: VaultInfo;
  readonly deploy: EntrySummary;
  readonly database: EntrySummary;
  readonly wiki: EntrySummary;
  readonly chat: EntrySummary;
  broker(overrides?: Partial<ApprovalBrokerDeps>): ApprovalBrokerImpl;
  device(overrides?: Partial<DeviceFlowDeps>): DeviceFlowImpl;
  /** A token created by the person and enrolled with a fresh agent key. */
  agentToken(name: string): Promise<{ readonly record: TokenRecord; readonly jkt: string }>;
  /** Resolves with the next event of that type emitted from now on; rejects after 5 s without one. */
  next<T extends AdminEventType>(type: T): Promise<EventOf<T>>;
  verify(accessToken: string): Promise<AccessTokenClaims>;
  auditRows(action: string): Promise<readonly AuditRow[]>;
  close(): Promise<void>;
}

export async function openAgentFixture(): Promise<AgentFixture> {
  const t = await openTestEngine();
  const clock = { now: START };
  const events: AdminEvent[] = [];
  const watchers: { type: AdminEventType; resolve: (e: AdminEvent) => void }[] = [];
  const emit = (e: AdminEvent): void => {
    events.push(e);
    for (let i = watchers.length - 1; i >= 0; i -= 1) {
      const w = watchers[i];
      if (w === undefined || w.type !== e.type) continue;
      watchers.splice(i, 1);
      w.resolve(e);
    }
  };
  const signer = (): TokenKey => {
    const s = t.engine.signer;
    if (s === undefined || t.engine.locked) throw new VkError('vault_locked');
    return s;
  };
  const brokers: ApprovalBrokerImpl[] = [];
  let brokerRef: ApprovalBrokerImpl | undefined;
  const tokens = new TokenServiceImpl({
    db: t.engine.db,
    seal: t.engine.seal,
    vaults: t.engine.vaults,
    audit: (r) => t.engine.audit(r),
    signer,
    issuer: ISSUER,
    clock: () => clock.now,
    emit,
    onRevoked: (ids) => ids.forEach((id) => brokerRef?.cancelForToken(id)),
  });
  // Set-up as a person in the app: no Argon2id per call; what the tests are about needs no grant.
  const plain = await t.person.createVault({ vault: { name: 'Plain' } });
  const ops = await t.person.createVault({ vault: { name: 'Ops', approval: { mode: 'every_access' } } });
  const team = await t.person.createVault({ vault: { name: 'Team', approval: { mode: 'once_per_token', minutes: 5 } } });
  const entry = (vaultId: string, title: string) => t.person.createEntry({ vaultId, entry: { title, kind: 'api_key', fields: { apiKey: `${title}-s3cr3t-value` } } });
  const deploy = await entry(ops.id, 'Deploy key');
  const database = await entry(ops.id, 'Database');
  const wiki = await entry(team.id, 'Wiki');
  const chat = await entry(team.id, 'Chat');

  return {
    t,
    tokens,
    clock,
    events,
    plain,
    ops,
    team,
    deploy,
    database,
    wiki,
    chat,
    broker: (overrides = {}) => {
      const broker = new ApprovalBrokerImpl({
        db: t.engine.db,
        seal: t.engine.seal,
        audit: (r) => t.engine.audit(r),
        emit,
        clock: () => clock.now,
        describe: describeVaultEntry(t.engine.vaults),
        stale: () => undefined,
        ...overrides,
      });
      brokers.push(broker);
      brokerRef = broker;
      return broker;
    },
    device: (overrides = {}) =>
      new DeviceFlowImpl({
        db: t.engine.db,
        seal: t.engine.seal,
        audit: (r) => t.engine.audit(r),
        emit,
        clock: () => clock.now,
        vaults: t.engine.vaults,
        issue: (input) => tokens.issueForDevice(input),
        ...overrides,
      }),
    agentToken: async (name) => {
      const created = await tokens.create({ name, vaults: [plain.id, ops.id, team.id], actions: ['read', 'use'], lifespanSeconds: 3600 });
      const { jkt } = await agentKey();
      await tokens.enroll(created.enrollmentCode, name, jkt);
      const record = tokens.record(created.token.id);
      if (record === undefined) throw new Error('token not recorded');
      return { record, jkt };
    },
    next: <T extends AdminEventType>(type: T) =>
      new Promise<EventOf<T>>((resolve, reject) => {
        // Fail fast with a clear message instead of running into the test timeout.
        const timer = setTimeout(() => reject(new Error(`no ${type} event within 5 s`)), 5000);
        watchers.push({ type, resolve: (e) => (clearTimeout(timer), resolve(e as EventOf<T>)) });
      }),
    verify: (accessToken) => verifyAccessToken(accessToken, { key: signer(), issuer: ISSUER, audience: ISSUER, nowSeconds: Math.floor(clock.now / 1000) }),
    auditRows: async (action) => {
      await t.engine.ledger.flush();
      return (await t.admin.queryAudit({ action, limit: 500 })).rows;
    },
    close: async () => {
      for (const b of brokers) b.close();
      await t.close();
    },
  };
}

/** A fresh agent key's RFC 7638 thumbprint, as an SDK would compute it. */
export async function agentKey(): Promise<{ readonly jkt: string }> {
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  return { jkt: await calculateJwkThumbprint(await exportJWK(pair.publicKey), 'sha256') };
}

export { errorCode } from '../../helpers/error-code.js';

/** True when the promise is still unsettled after the event loop has turned a few times. */
export async function stillWaiting(promise: Promise<unknown>, ms = 30): Promise<boolean> {
  const marker = Symbol('waiting');
  const result = await Promise.race([promise.then(() => 'settled', () => 'settled'), new Promise((r) => setTimeout(() => r(marker), ms))]);
  return result === marker;
}
