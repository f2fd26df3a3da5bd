/**
 * A real engine (temp dir, real SQLite, key-file keys) with the real TokenService, DeviceFlow and
 * ApprovalBroker built from its parts, and the agent endpoint listening on 127.0.0.1 (random
 * port) and on a Unix socket in the engine's directory. Two vaults: Accounting (no approval) and
 * Personal (every access asks).
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { staleReason } from '../../../src/core/approvals/stale-check.js';
import { ApprovalBrokerImpl } from '../../../src/core/approvals/approval-broker.js';
import { describeVaultEntry } from '../../../src/core/approvals/describe-vault-entry.js';
import type { TokenKey } from '../../../src/core/auth/token-key.js';
import { DeviceFlowImpl } from '../../../src/core/device/device-flow.js';
import { startAgentEndpoint, type AgentEndpoint } from '../../../src/core/endpoint/agent-endpoint.js';
import type { EndpointServices } from '../../../src/core/endpoint/endpoint-services.js';
import { TokenServiceImpl } from '../../../src/core/tokens/token-service.js';
import { TokenGuardStore } from '../../../src/core/tripwires/token-guard-store.js';
import { TripwireService } from '../../../src/core/tripwires/tripwire-service.js';
import { VkError } from '../../../src/shared/errors.js';
import type { AdminEvent, AuditRow, EntrySummary, TokenInput, VaultInfo } from '../../../src/shared/model.js';
import { AgentClient, type AgentResponse, type EndpointTarget } from '../../helpers/agent-client.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';

export const SECRETS = { bank: 'b4nk-s3cret-9431', payroll: 'p4yroll-key-7702', github: 'ghp-s3cret-5518' } as const;
/** RFC 6238 test seed ("12345678901234567890" in base32). */
export const TOTP_SEED = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

export interface EndpointFixture {
  readonly t: TestEngine;
  readonly endpoint: AgentEndpoint;
  readonly tokens: TokenServiceImpl;
  readonly device: DeviceFlowImpl;
  readonly approvals: ApprovalBrokerImpl;
  readonly events: AdminEvent[];
  readonly tcp: EndpointTarget;
  readonly socket: EndpointTarget;
  readonly discoveryFile: string;
  readonly accounting: VaultInfo;
  readonly personal: VaultInfo;
  readonly bank: EntrySummary;
  readonly payroll: EntrySummary;
  readonly github: EntrySummary;
  /** Move the engine's clock forward (it starts at the real time). */
  advance(ms: number): void;
  /** Make the next audit appends fail, as a full disk would. */
  breakAudit(broken: boolean): void;
  auditRows(action?: string): Promise<readonly AuditRow[]>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  readonly approvalTimeoutMs?: number;
}

export async function openEndpointFixture(options: FixtureOptions = {}): Promise<EndpointFixture> {
  let offset = 0;
  const t = await openTestEngine({ clock: () => Date.now() + offset });
  const { engine } = t;
  const events: AdminEvent[] = [];
  engine.subscribe((e) => events.push(e));
  let auditBroken = false;
  const audit = (r: Parameters<typeof engine.audit>[0]): Promise<AuditRow> =>
    auditBroken ? Promise.reject(new VkError('audit_unavailable')) : engine.audit(r);
  const signer = (): TokenKey => {
    if (engine.signer === undefined) throw new VkError('vault_locked');
    return engine.signer;
  };
  const common = { db: engine.db, seal: engine.seal, audit, emit: (e: AdminEvent) => engine.emit(e), clock: () => engine.clock() };
  const stale = (tokenId: string) => staleReason({ locked: engine.locked, paused: engine.agentsPaused, record: tokens?.record(tokenId), now: engine.clock() });
  const approvals = new ApprovalBrokerImpl({ ...common, describe: describeVaultEntry(engine.vaults), stale, ...(options.approvalTimeoutMs ? { timeoutMs: options.approvalTimeoutMs } : {}) });
  let tokens: TokenServiceImpl | undefined;
  let device: DeviceFlowImpl | undefined;
  const services = (issuer: string): EndpointServices => {
    tokens = new TokenServiceImpl({ ...common, vaults: engine.vaults, signer, issuer, onRevoked: (ids) => ids.forEach((id) => approvals.cancelForToken(id)) });
    const issue = tokens.issueForDevice.bind(tokens);
    device = new DeviceFlowImpl({ ...common, vaults: engine.vaults, issue });
    const tripwires = new TripwireService({
      ...common,
      tokens,
      approvals,
      guards: new TokenGuardStore(engine.db),
      missing: (tokenId) => engine.seal.report('settings', `token_guard:${tokenId}`),
      pastRows: (q) => engine.ledger.query(q),
      master: () => engine.currentKeys().master,
    });
    return {
      tokens,
      device,
      approvals,
      vaults: engine.vaults,
      tripwires,
      audit,
      tokenKey: signer,
      locked: () => engine.locked,
      paused: () => engine.agentsPaused,
      clock: () => engine.clock(),
      nonceSecret: randomBytes(32),
      vaultApproval: (id) => engine.vaults.vaultApproval(id),
      proxyCa: () => engine.proxyCa(),
    };
  };
  const socketPath = join(t.dir, 'run', 'agent.sock');
  const discoveryFile = join(t.dir, 'discovery.json');
  const endpoint = await startAgentEndpoint({ services, tcpPort: 0, socketPath, discoveryFile, version: 'test' });
  const seeded = await seed(t);
  if (tokens === undefined || device === undefined) throw new Error('the services factory was not called');
  return {
    t,
    endpoint,
    tokens,
    device,
    approvals,
    events,
    tcp: { via: 'tcp', port: endpoint.port },
    socket: { via: 'socket', socketPath },
    discoveryFile,
    ...seeded,
    advance: (ms) => {
      offset += ms;
    },
    breakAudit: (broken) => {
      auditBroken = broken;
    },
    auditRows: async (action) => {
      // Refusal and listing rows are not awaited by the endpoint: commit whatever is queued.
      await engine.ledger.flush();
      return (await t.admin.queryAudit({ ...(action === undefined ? {} : { action }), limit: 500 })).rows;
    },
    close: async () => {
      await endpoint.close();
      tokens?.flush();
      await t.close();
    },
  };
}

async function seed(t: TestEngine): Promise<Pick<EndpointFixture, 'accounting' | 'personal' | 'bank' | 'payroll' | 'github'>> {
  // Set-up as a person in the app: no Argon2id per call; what the tests are about needs no grant.
  const accounting = await t.person.createVault({ vault: { name: 'Accounting' } });
  const personal = await t.person.createVault({ vault: { name: 'Personal', approval: { mode: 'every_access' } } });
  const bank = await t.person.createEntry({
    vaultId: accounting.id,
    entry: { title: 'Bank', kind: 'login', fields: { username: 'acme', password: SECRETS.bank, totp: TOTP_SEED } },
  });
  const payroll = await t.person.createEntry({ vaultId: accounting.id, entry: { title: 'Payroll API', kind: 'api_key', fields: { apiKey: SECRETS.payroll } } });
  const github = await t.person.createEntry({ vaultId: personal.id, entry: { title: 'GitHub', kind: 'api_key', fields: { apiKey: SECRETS.github } } });
  return { accounting, personal, bank, payroll, github };
}

/** Create a token in the "app" and redeem its enrollment code with the agent's key. */
export async function enrolledToken(fx: EndpointFixture, agent: AgentClient, input: Partial<TokenInput> = {}): Promise<{ accessToken: string; tokenId: string }> {
  const created = await fx.tokens.create({ name: 'accounting-bot', vaults: [fx.accounting.id], actions: ['read'], lifespanSeconds: 3600, ...input });
  const bearer = input.binding === 'bearer';
  const res = await agent.call('POST', '/v1/token', {
    form: { grant_type: 'urn:valetkey:params:oauth:grant-type:enrollment', enrollment_code: created.enrollmentCode, client_id: 'accounting-bot' },
    proof: !bearer,
  });
  if (res.status !== 200) throw new Error(`enrollment failed: ${res.status} ${res.text}`);
  return { accessToken: res.body.access_token as string, tokenId: created.token.id };
}

export function resolve(agent: AgentClient, token: string, refs: readonly string[], reason: string | null = 'monthly reconciliation', extra: { scheme?: 'DPoP' | 'Bearer' } = {}): Promise<AgentResponse> {
  return agent.call('POST', '/v1/resolve', { token, json: { refs, ...(reason === null ? {} : { reason }) }, ...extra });
}
