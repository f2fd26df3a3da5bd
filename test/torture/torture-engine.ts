/**
 * A real engine for the torture suite: `valetkey init --key-file` in a temp (or tmpfs) data
 * directory, `valetkey daemon` as its own process (from source, so the code under test is the
 * code in the tree), unlocked through the admin API, with a vault of distinctive secret values
 * and agents enrolled through the real endpoint.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { readAdminInfo } from '../../src/core/daemon/admin-info.js';
import { createHttpAdminClient, type HttpAdminClient } from '../../src/shared/admin-client/http-admin-client.js';
import type { GrantProof } from '../../src/shared/admin-api.js';
import type { AuditQuery, AuditRow, TokenInput } from '../../src/shared/model.js';
import { call, enroll } from '../../bench/lib/agent.js';
import { newDpopKey, proof } from '../../bench/lib/dpop.js';
import { PASSPHRASE, startDaemonProcess, type DaemonProcess } from '../helpers/cli.js';
import type { Target } from './keep-alive-client.js';
import { TortureAgent } from './torture-agent.js';

export interface RunningEngine {
  readonly home: string;
  readonly daemon: DaemonProcess;
  readonly pid: number;
  readonly admin: HttpAdminClient;
  readonly grant: GrantProof;
  readonly tcp: Target;
  readonly socket: Target;
  /** Resident memory of the engine process, from /proc/PID/status. */
  rssMb(): number;
  alive(): boolean;
}

/** A data directory holding a copy of the suite's initialised template (see global-setup.ts). */
export function freshHome(prefix: string): { readonly dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyTemplate(dir);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies the initialised template into an existing (empty) directory, e.g. a tmpfs mount. */
export function copyTemplate(dir: string): void {
  cpSync(inject('tortureTemplate'), dir, { recursive: true });
}

/** Starts the daemon on `home` and unlocks it; the admin client and targets are this run's. */
export async function startEngine(home: string): Promise<RunningEngine> {
  return attachEngine(home, await startDaemonProcess(home));
}

/** The admin client, unlock and listener targets for a daemon that is already running on `home`. */
export async function attachEngine(home: string, daemon: DaemonProcess): Promise<RunningEngine> {
  const pid = daemon.child.pid ?? 0;
  const info = readAdminInfo(join(home, 'admin.json'));
  const admin = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
  await admin.unlock({ passphrase: PASSPHRASE });
  const { session } = await admin.openGrantSession({ passphrase: PASSPHRASE, minutes: 15 });
  const endpoint = (await admin.status({})).agentEndpoint;
  if (endpoint === undefined) throw new Error('the engine reports no agent endpoint');
  const port = Number(new URL(endpoint.url).port);
  return {
    home,
    daemon,
    pid,
    admin,
    grant: { session },
    tcp: { via: 'tcp', port, host: `127.0.0.1:${port}`, base: endpoint.url },
    socket: { via: 'socket', socketPath: endpoint.socketPath, host: 'localhost', base: 'http://localhost' },
    rssMb: () => rssMb(pid),
    alive: () => daemon.child.exitCode === null && daemon.child.signalCode === null,
  };
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
}

/** The refs of a seeded vault and the value each must resolve to. Values are distinctive, so a leak is greppable. */
export interface Secrets {
  readonly vault: string;
  readonly vaultId: string;
  readonly values: ReadonlyMap<string, string>;
  readonly refs: readonly string[];
  /** ref → the entry's id (what its audit rows name). */
  readonly entryIds: ReadonlyMap<string, string>;
  /** Every secret value stored (passwords, API keys, TOTP seeds): none may appear in a refusal. */
  readonly everything: readonly string[];
}

export async function seedSecrets(engine: RunningEngine, vault: string, entries: number, tag: string): Promise<Secrets> {
  const created = await engine.admin.createVault({ grant: engine.grant, vault: { name: vault } });
  const values = new Map<string, string>();
  const everything: string[] = [];
  const entryIds = new Map<string, string>();
  for (let i = 0; i < entries; i++) {
    const password = `VKTORTURE-${tag}-pw-${i}-${randomHex()}`;
    const apiKey = `VKTORTURE-${tag}-key-${i}-${randomHex()}`;
    const totp = base32Seed();
    const title = `entry-${i}`;
    const entry = await engine.admin.createEntry({ grant: engine.grant, vaultId: created.id, entry: { title, kind: 'login', fields: { username: `user-${i}`, password, apiKey, totp } } });
    const ref = `vk://${vault}/${title}/password`;
    values.set(ref, password);
    entryIds.set(ref, entry.id);
    everything.push(password, apiKey, totp);
  }
  return { vault, vaultId: created.id, values, refs: [...values.keys()], entryIds, everything };
}

function base32Seed(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => alphabet[b % 32]).join('');
}

function randomHex(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(12))).toString('hex');
}

/** Creates a token (a person's grant) and enrolls a fresh key for it over `target`. */
export async function enrollAgent(engine: RunningEngine, name: string, vaults: readonly string[], target: Target = engine.tcp, extra: Partial<TokenInput> = {}): Promise<TortureAgent> {
  const created = await engine.admin.createToken({ grant: engine.grant, token: { name, vaults, actions: ['read'], lifespanSeconds: 3600, ...extra } });
  const key = newDpopKey();
  const token = await enroll(target, target.base, key, created.enrollmentCode, name);
  return new TortureAgent(name, created.token.id, key, token);
}

/**
 * RFC 8693 exchange: `parent` mints a token for a new sub-agent key (proof by the parent's key,
 * with `ath` and a server nonce). Revoking the parent must revoke this one too.
 */
export async function exchangeAgent(parent: TortureAgent, target: Target, name: string): Promise<TortureAgent> {
  const key = newDpopKey();
  const form = new URLSearchParams({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: parent.token,
    subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    actor_jkt: key.thumbprint,
    actor_name: name,
  }).toString();
  const post = (nonce?: string) =>
    call(target, 'POST', '/v1/token', {
      'content-type': 'application/x-www-form-urlencoded',
      dpop: proof(parent.key, 'POST', `${target.base}/v1/token`, { accessToken: parent.token, ...(nonce === undefined ? {} : { nonce }) }),
    }, form);
  let r = await post();
  if (r.body.error === 'use_dpop_nonce') r = await post(String(r.headers['dpop-nonce']));
  if (r.status !== 200) throw new Error(`token exchange failed: ${JSON.stringify(r.body)}`);
  const token = String(r.body.access_token);
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { jti: string };
  return new TortureAgent(name, claims.jti, key, token);
}

/** Every audit row matching `q`, paging backwards through the admin API (500 a page). */
export async function allAuditRows(engine: RunningEngine, q: AuditQuery): Promise<AuditRow[]> {
  const rows: AuditRow[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await engine.admin.queryAudit({ ...q, limit: 500, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    rows.push(...page.rows);
    if (page.nextBeforeSeq === undefined) return rows;
    beforeSeq = page.nextBeforeSeq;
  }
}
