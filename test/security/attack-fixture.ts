/**
 * The target of the docs/security.md attack suite: a real engine (temp dir, real SQLite, key-file keys)
 * whose OWN services answer on the real agent endpoint (startAgentEndpoint + endpointServices, as
 * the daemon wires them), over 127.0.0.1 and a Unix socket. Tokens are created the way a person
 * creates them (the admin API, with the passphrase grant) and redeemed over the wire.
 *
 * Secrets are distinctive strings, so "nothing leaves" is a grep of the raw response body.
 */
import { join } from 'node:path';
import { expect } from 'vitest';
import { endpointServices } from '../../src/core/daemon/engine-endpoint.js';
import { startAgentEndpoint, type AgentEndpoint } from '../../src/core/endpoint/agent-endpoint.js';
import type { AuditRow, EntrySummary, TokenInput, VaultInfo } from '../../src/shared/model.js';
import { AgentClient, type AgentResponse, type EndpointTarget } from '../helpers/agent-client.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

export const SECRETS = {
  bank: 'vksec-BANK-pw-7f3a9c41e2d8',
  payroll: 'vksec-PAYROLL-key-51b0c7e93a',
  github: 'vksec-GITHUB-key-c2d94e0f17',
  victim: 'vksec-VICTIM-pw-0e8b66a2f4',
  /** Not seeded: the /v1/fetch attack adds an entry holding it. */
  api: 'vksec-API-key-6d1f0b93c7',
} as const;

export const BANK_REF = 'vk://Accounting/Bank/password';
export const GITHUB_REF = 'vk://Personal/GitHub/api_key';
export const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';

export interface AttackFixture {
  readonly t: TestEngine;
  readonly endpoint: AgentEndpoint;
  readonly tcp: EndpointTarget;
  readonly socket: EndpointTarget;
  readonly accounting: VaultInfo;
  readonly personal: VaultInfo;
  readonly bank: EntrySummary;
  readonly victim: EntrySummary;
  /** The engine's clock, in ms (it starts at the real time). */
  now(): number;
  /** Move the engine's clock; proofs must then carry `iat` from now() (see agentIat). */
  advance(ms: number): void;
  /** A fresh agent key with a token the person made in the app, redeemed over TCP. */
  enrolled(input?: Partial<TokenInput>): Promise<Enrolled>;
  /** The audit head now (after committing what is queued). */
  mark(): Promise<number>;
  /** Rows written after `seq`, oldest first. */
  rowsSince(seq: number): Promise<readonly AuditRow[]>;
  /** Run one request; return its answer and the audit rows it wrote. */
  attempt(send: () => Promise<AgentResponse>): Promise<Attempt>;
  close(): Promise<void>;
}

export interface Attempt {
  readonly res: AgentResponse;
  readonly rows: readonly AuditRow[];
}

export interface Enrolled {
  readonly agent: AgentClient;
  readonly token: string;
  readonly tokenId: string;
}

export async function openAttackFixture(options: { readonly approvalTimeoutMs?: number } = {}): Promise<AttackFixture> {
  let offset = 0;
  const t = await openTestEngine({ clock: () => Date.now() + offset, ...options });
  const { engine } = t;
  const socketPath = join(t.dir, 'run', 'agent.sock');
  const endpoint = await startAgentEndpoint({
    services: (issuer) => {
      if (issuer !== engine.issuer) throw new Error(`endpoint bound ${issuer}, engine signs for ${engine.issuer}`);
      return endpointServices(engine);
    },
    tcpPort: engine.agentPort,
    socketPath,
    discoveryFile: join(t.dir, 'discovery.json'),
    version: 'attack-suite',
  });
  const seeded = await seed(t);
  const tcp: EndpointTarget = { via: 'tcp', port: endpoint.port };
  const mark = async (): Promise<number> => {
    await engine.ledger.flush();
    return engine.ledger.head().seq;
  };
  const rowsSince = async (seq: number): Promise<readonly AuditRow[]> => {
    // Refusal rows are not awaited by the endpoint: commit whatever is queued first.
    await engine.ledger.flush();
    const rows = engine.ledger.query({ limit: 500 }).rows.filter((r) => r.seq > seq);
    return [...rows].sort((a, b) => a.seq - b.seq);
  };
  return {
    t,
    endpoint,
    tcp,
    socket: { via: 'socket', socketPath },
    ...seeded,
    now: () => engine.clock(),
    advance: (ms) => {
      offset += ms;
    },
    enrolled: (input) => enroll(t, tcp, input),
    mark,
    rowsSince,
    attempt: async (send) => {
      const before = await mark();
      const res = await send();
      return { res, rows: await rowsSince(before) };
    },
    close: async () => {
      await endpoint.close();
      await t.close();
    },
  };
}

async function seed(t: TestEngine): Promise<Pick<AttackFixture, 'accounting' | 'personal' | 'bank' | 'victim'>> {
  // Set-up as a person in the app: no Argon2id per call; what the tests are about needs no grant.
  const accounting = await t.person.createVault({ vault: { name: 'Accounting' } });
  const personal = await t.person.createVault({ vault: { name: 'Personal', approval: { mode: 'every_access' } } });
  const login = (title: string, password: string) => ({ title, kind: 'login' as const, fields: { username: 'acme', password } });
  const bank = await t.person.createEntry({ vaultId: accounting.id, entry: login('Bank', SECRETS.bank) });
  const victim = await t.person.createEntry({ vaultId: accounting.id, entry: login('Victim', SECRETS.victim) });
  await t.person.createEntry({ vaultId: accounting.id, entry: { title: 'Payroll API', kind: 'api_key', fields: { apiKey: SECRETS.payroll } } });
  await t.person.createEntry({ vaultId: personal.id, entry: { title: 'GitHub', kind: 'api_key', fields: { apiKey: SECRETS.github } } });
  return { accounting, personal, bank, victim };
}

async function enroll(t: TestEngine, target: EndpointTarget, input: Partial<TokenInput> = {}): Promise<Enrolled> {
  const accountingId = (await t.admin.listVaults({})).find((v) => v.name === 'Accounting')?.id ?? '';
  const token: TokenInput = { name: 'accounting-bot', vaults: [accountingId], actions: ['read'], lifespanSeconds: 3600, ...input };
  const created = await t.admin.createToken({ grant: t.grant, token });
  const agent = await AgentClient.create(target);
  const bearer = token.binding === 'bearer';
  const res = await agent.call('POST', '/v1/token', {
    form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: token.name },
    proof: !bearer,
  });
  if (res.status !== 200) throw new Error(`enrollment failed: ${res.status} ${res.text}`);
  return { agent, token: res.body.access_token as string, tokenId: created.token.id };
}

/** POST /v1/resolve as an SDK sends it. */
export function resolveRefs(agent: AgentClient, token: string, refs: readonly string[], reason: string | null = 'attack suite', scheme: 'DPoP' | 'Bearer' = 'DPoP'): Promise<AgentResponse> {
  return agent.call('POST', '/v1/resolve', { token, scheme, json: { refs, ...(reason === null ? {} : { reason }) } });
}

export function expectNoSecret(res: AgentResponse): void {
  for (const secret of Object.values(SECRETS)) expect(res.text).not.toContain(secret);
}

/** Status and code, no secret in the raw body, and never a CORS header. */
export function expectRefused(res: AgentResponse, status: number, code: string): void {
  expect([res.status, res.body?.error], res.text).toEqual([status, code]);
  expectNoSecret(res);
  expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
}

/**
 * Exactly one new refusal row written for the agent's request, with this code (and token, when
 * it verified), and no secret read allowed. (The engine may add its own rows, e.g. approval.timeout.)
 */
export function expectRefusalRow(rows: readonly AuditRow[], code: string, tokenId: string | null = null): AuditRow {
  const refused = rows.filter((r) => r.outcome === 'refused' && r.actor === 'agent');
  expect(refused.map((r) => r.errorCode)).toEqual([code]);
  const row = refused[0] as AuditRow;
  if (tokenId !== null) expect(row.tokenId).toBe(tokenId);
  expect(rows.filter((r) => r.outcome === 'allowed' && r.action === 'secret.read')).toEqual([]);
  return row;
}

/** The request never reached authentication: no row at all. */
export function expectNoRows(rows: readonly AuditRow[]): void {
  expect(rows).toEqual([]);
}
