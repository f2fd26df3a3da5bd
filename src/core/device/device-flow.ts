/**
 * Agent-initiated requests: the OAuth device authorization grant (RFC 8628) with the limits of
 * docs/security.md "Device flow". The agent asks (start) and polls, every poll with the same DPoP
 * key (the first poll binds it when the request named none); a person approves, narrows or denies
 * through the admin API (decide); the approved poll gets a token.
 */
import { VkError } from '../../shared/errors.js';
import type { AdminEvent, AuditRecord, DeviceRequestInfo } from '../../shared/model.js';
import type { DeviceAuthorization, DeviceFlow, IssuedToken } from '../agent/agent-services.js';
import { formatScope, parseScope, type ScopeItem } from '../auth/scopes.js';
import { sha256Base64url } from '../auth/sha256-base64url.js';
import type { Database } from '../store/database.js';
import { newId } from '../vault/ids.js';
import type { VaultStore } from '../vault/vault-store.js';
import { newDeviceCode, newUserCode } from './device-codes.js';
import { grantFor, type Narrowing } from './device-grant.js';
import { toDeviceInfo, type ResolveVault } from './device-info.js';
import { checkStart, type DeviceStartInput } from './device-input.js';
import { decisionFields, DeviceStore, type DeviceRow } from './device-store.js';
import type { RowSeal } from '../integrity/row-seal.js';
import { RequestRate } from './request-rate.js';

export const DEVICE_CODE_TTL_SECONDS = 600;
export const DEVICE_POLL_INTERVAL_SECONDS = 5;
const SLOW_DOWN_STEP_SECONDS = 5;
const LIST_ALL_LIMIT = 200;
// Scopes can be long; audit details are capped at 4 KiB, so a long one is summarised by its size.
const MAX_AUDITED_SCOPE = 2000;

export interface DeviceLimits {
  /** Pending requests one agent key may have at once, or one claimed name while no key is known (docs/security.md: 3). */
  readonly pendingPerKey: number;
  /** Pending requests across all keys: a flood from many keys cannot bury the person in prompts. */
  readonly pendingTotal: number;
  readonly perKeyPerMinute: number;
  readonly perMinute: number;
}

export const DEFAULT_DEVICE_LIMITS: DeviceLimits = { pendingPerKey: 3, pendingTotal: 20, perKeyPerMinute: 10, perMinute: 30 };

export interface DeviceIssueInput {
  readonly name: string;
  readonly scope: readonly ScopeItem[];
  readonly lifespanSeconds: number;
  readonly jkt: string;
}

export interface DeviceFlowDeps {
  readonly db: Database;
  readonly audit: (record: AuditRecord) => Promise<unknown>;
  readonly emit: (event: AdminEvent) => void;
  readonly clock: () => number;
  readonly vaults: VaultStore;
  /** TokenService.issueForDevice: stores the token row before it resolves. */
  readonly issue: (input: DeviceIssueInput) => Promise<IssuedToken>;
  readonly limits?: Partial<DeviceLimits>;
  /** MACs of approvals: a row an agent marks approved grants nothing. */
  readonly seal: RowSeal;
}

export class DeviceFlowImpl implements DeviceFlow {
  readonly #deps: DeviceFlowDeps;
  readonly #store: DeviceStore;
  readonly #limits: DeviceLimits;
  readonly #perKey: RequestRate;
  readonly #global: RequestRate;
  /** Requests whose decision is being audited: a second click waits for nothing and changes nothing. */
  readonly #deciding = new Set<string>();

  constructor(deps: DeviceFlowDeps) {
    this.#deps = deps;
    this.#store = new DeviceStore(deps.db);
    this.#limits = { ...DEFAULT_DEVICE_LIMITS, ...deps.limits };
    this.#perKey = new RequestRate(this.#limits.perKeyPerMinute);
    this.#global = new RequestRate(this.#limits.perMinute);
  }

  async start(input: DeviceStartInput): Promise<DeviceAuthorization> {
    const checked = checkStart(input);
    const now = this.#deps.clock();
    this.#store.expire(now);
    const source = rateSource(checked.jkt, checked.clientId);
    this.#checkLimits(checked.jkt, checked.clientId, source, now);
    const deviceCode = newDeviceCode();
    const row = {
      id: newId(),
      device_code_hash: sha256Base64url(deviceCode),
      user_code: this.#freshUserCode(),
      client_id: checked.clientId,
      jkt: checked.jkt,
      scope: formatScope(checked.items),
      lifespan_seconds: checked.lifespanSeconds,
      reason: checked.reason,
      interval_seconds: DEVICE_POLL_INTERVAL_SECONDS,
      created_at: now,
      expires_at: now + DEVICE_CODE_TTL_SECONDS * 1000,
    };
    // Checks, insert and counting happen in one synchronous step, so concurrent starts cannot slip past a limit.
    this.#store.insert(row);
    this.#perKey.record(source, now);
    this.#global.record('', now);
    try {
      await this.#deps.audit({
        actor: 'agent',
        action: 'device.request',
        outcome: 'ok',
        agent: row.client_id,
        keyThumbprint: row.jkt,
        reason: row.reason,
        detail: { requestId: row.id, userCode: row.user_code, agentClaimed: true, lifespanSeconds: row.lifespan_seconds, ...scopeDetail('requestedScope', row.scope) },
      });
    } catch (e) {
      this.#store.delete(row.id); // never audited, so never asked
      throw e;
    }
    this.#deps.emit({ type: 'device.requested', request: this.#infoById(row.id) });
    return { deviceCode, userCode: row.user_code, expiresIn: DEVICE_CODE_TTL_SECONDS, interval: DEVICE_POLL_INTERVAL_SECONDS };
  }

  async poll(deviceCode: string, jkt: string): Promise<IssuedToken> {
    const found = typeof deviceCode === 'string' && deviceCode.length <= 128 ? this.#store.byCodeHash(sha256Base64url(deviceCode)) : undefined;
    // Unknown code, another agent's key, or a code already used: all look the same to the caller.
    if (found === undefined || found.status === 'redeemed') throw new VkError('invalid_grant');
    const row = this.#boundTo(found, jkt);
    const now = this.#deps.clock();
    if (row.status === 'expired' || now >= row.expires_at) {
      this.#store.expire(now);
      throw new VkError('expired_token');
    }
    this.#pace(row, now);
    switch (row.status) {
      case 'pending':
        throw new VkError('authorization_pending');
      case 'denied':
        throw new VkError('access_denied');
      case 'approved':
        return this.#redeem(row);
      case 'redeemed': // answered above; the copy made by binding lost that narrowing
        throw new VkError('invalid_grant');
    }
  }

  list(status: 'pending' | 'all'): DeviceRequestInfo[] {
    if (status !== 'pending' && status !== 'all') throw new VkError('invalid_request', 'status must be pending or all');
    this.#store.expire(this.#deps.clock());
    return this.#store.list(status, LIST_ALL_LIMIT).map((row) => this.#info(row));
  }

  async decide(requestId: string, decision: 'approve' | 'deny', narrowed?: Narrowing): Promise<DeviceRequestInfo> {
    if (decision !== 'approve' && decision !== 'deny') throw new VkError('invalid_request', 'decision must be approve or deny');
    if (decision === 'deny' && narrowed !== undefined) throw new VkError('invalid_request', 'narrowed is only for approve');
    this.#store.expire(this.#deps.clock());
    const row = this.#store.byId(requestId);
    if (row === undefined) throw new VkError('not_found', 'no device request with that id');
    // Already decided, expired, or being decided: a late or double click changes nothing.
    if (row.status !== 'pending' || this.#deciding.has(row.id)) return this.#info(row);
    this.#deciding.add(row.id);
    try {
      if (decision === 'deny') await this.#deny(row);
      else await this.#approve(row, narrowed);
    } finally {
      this.#deciding.delete(row.id);
    }
    const info = this.#infoById(row.id);
    this.#deps.emit({ type: 'device.decided', request: info });
    return info;
  }

  async #approve(row: DeviceRow, narrowed: Narrowing | undefined): Promise<void> {
    const grant = grantFor(parseScope(row.scope), row.lifespan_seconds, narrowed, this.#deps.vaults);
    const scope = formatScope(grant.scope);
    // No log, no grant: the row is committed before the request can be redeemed.
    await this.#auditDecision(row, 'approve', {
      narrowed: narrowed !== undefined,
      lifespanSeconds: grant.lifespanSeconds,
      ...scopeDetail('grantedScope', scope),
    });
    const now = this.#deps.clock();
    const mac = this.#deps.seal.sign('device_requests', row.id, decisionFields(row, scope, grant.lifespanSeconds, now));
    this.#store.approve(row.id, scope, grant.lifespanSeconds, now, mac);
  }

  async #deny(row: DeviceRow): Promise<void> {
    await this.#auditDecision(row, 'deny', {});
    this.#store.deny(row.id, this.#deps.clock());
  }

  async #auditDecision(row: DeviceRow, decision: 'approve' | 'deny', extra: Record<string, unknown>): Promise<void> {
    await this.#deps.audit({
      actor: 'person',
      action: 'device.decide',
      outcome: 'ok',
      agent: row.client_id,
      keyThumbprint: row.jkt,
      reason: row.reason,
      detail: { requestId: row.id, userCode: row.user_code, decision, ...extra },
    });
  }

  async #redeem(row: DeviceRow & { readonly jkt: string }): Promise<IssuedToken> {
    const fields = decisionFields(row, row.granted_scope, row.granted_lifespan_seconds, row.decided_at);
    this.#deps.seal.check('device_requests', row.id, fields, row.mac);
    if (row.granted_scope === null || row.granted_lifespan_seconds === null) throw new VkError('internal_error');
    if (!this.#store.claim(row.id)) throw new VkError('invalid_grant'); // a concurrent poll won
    let issued: IssuedToken;
    try {
      issued = await this.#deps.issue({ name: row.client_id, scope: parseScope(row.granted_scope), lifespanSeconds: row.granted_lifespan_seconds, jkt: row.jkt });
    } catch (e) {
      this.#store.unclaim(row.id); // e.g. locked: the agent may poll again once unlocked
      throw e;
    }
    this.#store.redeemed(row.id, issued.tokenId);
    await this.#deps.audit({
      actor: 'agent',
      action: 'device.redeem',
      outcome: 'ok',
      agent: row.client_id,
      tokenId: issued.tokenId,
      keyThumbprint: row.jkt,
      detail: { requestId: row.id },
    });
    this.#deps.emit({ type: 'device.decided', request: this.#infoById(row.id) });
    return issued;
  }

  /** RFC 8628 §3.5: polling sooner than the interval is slow_down, and the interval grows by 5 s. */
  #pace(row: DeviceRow, now: number): void {
    const tooSoon = row.last_poll_at !== null && now - row.last_poll_at < row.interval_seconds * 1000;
    this.#store.polled(row.id, now, tooSoon ? row.interval_seconds + SLOW_DOWN_STEP_SECONDS : row.interval_seconds);
    if (tooSoon) throw new VkError('slow_down');
  }

  /**
   * A request without a key is bound by the first poll that proves one (RFC 9449 leaves the device
   * authorization request without a proof); from then on only that key may poll. Synchronous from
   * lookup to update, so two first polls cannot both bind.
   */
  #boundTo(row: DeviceRow, jkt: string): DeviceRow & { readonly jkt: string } {
    if (row.jkt === null) {
      this.#store.bindKey(row.id, jkt);
      this.#deps.emit({ type: 'device.bound', request: this.#infoById(row.id) });
      return { ...row, jkt };
    }
    if (row.jkt !== jkt) throw new VkError('invalid_grant');
    return { ...row, jkt: row.jkt };
  }

  /** Pending requests are counted per key, or per claimed name while no key names them. */
  #checkLimits(jkt: string | null, clientId: string, source: string, now: number): void {
    const l = this.#limits;
    const pending = jkt === null ? this.#store.pendingUnboundCount(clientId) : this.#store.pendingCount(jkt);
    if (pending >= l.pendingPerKey) throw new VkError('rate_limited', 'too many pending requests from this agent');
    if (this.#store.pendingCount() >= l.pendingTotal) throw new VkError('rate_limited', 'too many pending requests');
    if (!this.#perKey.allows(source, now) || !this.#global.allows('', now)) throw new VkError('rate_limited');
  }

  /** Unique among live requests, so the person can tell two prompts apart. */
  #freshUserCode(): string {
    for (let i = 0; i < 5; i += 1) {
      const code = newUserCode();
      if (!this.#store.userCodeLive(code)) return code;
    }
    throw new VkError('internal_error'); // 20^8 codes: five collisions in a row means a broken RNG
  }

  #infoById(id: string): DeviceRequestInfo {
    const row = this.#store.byId(id);
    if (row === undefined) throw new VkError('not_found', 'no device request with that id');
    return this.#info(row);
  }

  #info(row: DeviceRow): DeviceRequestInfo {
    return toDeviceInfo(row, this.#resolveVault);
  }

  readonly #resolveVault: ResolveVault = (ref) => {
    try {
      const vault = this.#deps.vaults.getVault(ref);
      return { id: vault.id, name: vault.name };
    } catch {
      return null; // locked (names are sealed) or no such vault
    }
  };
}

/** The per-agent rate bucket: the key when known, else the claimed name (':' never occurs in a thumbprint). */
function rateSource(jkt: string | null, clientId: string): string {
  return jkt ?? `name:${clientId}`;
}

function scopeDetail(key: string, scope: string): Record<string, unknown> {
  return scope.length <= MAX_AUDITED_SCOPE ? { [key]: scope } : { [`${key}Items`]: scope.split(' ').length };
}

export type { Narrowing } from './device-grant.js';
