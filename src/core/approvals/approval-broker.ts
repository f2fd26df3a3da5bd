/**
 * The approval broker (docs/design.md §4, docs/security.md "Approvals"): an agent's access to a vault that
 * asks first waits here until a person allows or denies it through the admin API, or until it
 * times out. Approvals are bound to (agent key, token, vault, entry, action); nothing the agent
 * endpoint can send decides one, because only the admin handlers call `decide`.
 *
 * Nothing is released on a stale decision: locking, pausing, revoking the token and its expiry
 * answer waiting requests at once with that code, and an allow is checked against all four again
 * right before the waiter is released (docs/security.md).
 */
import { VkError } from '../../shared/errors.js';
import type { AdminEvent, ApprovalDecision, ApprovalInfo, AuditRecord } from '../../shared/model.js';
import type { ApprovalBroker, ApprovalRequest } from '../agent/agent-services.js';
import type { Database } from '../store/database.js';
import { newId } from '../vault/ids.js';
import { checkDecision, covers, decisionOutcome, toApprovalInfo, type Describe } from './approval-rules.js';
import { ApprovalStore, decisionFields, storedDecisionFields, type ApprovalRow } from './approval-store.js';
import type { RowSeal } from '../integrity/row-seal.js';

export const DEFAULT_APPROVAL_TIMEOUT_MS = 120_000;
const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 500;

export interface ApprovalBrokerDeps {
  readonly db: Database;
  /** Resolves once the row is durably committed. */
  readonly audit: (record: AuditRecord) => Promise<unknown>;
  readonly emit: (event: AdminEvent) => void;
  readonly clock: () => number;
  readonly timeoutMs?: number;
  readonly describe: Describe;
  /** Why a request of this token may no longer be released (locked, paused, revoked, expired), or undefined. */
  readonly stale: (tokenId: string) => VkError | undefined;
  /** MACs of decisions: an approval row an agent writes grants nothing. */
  readonly seal: RowSeal;
}

interface Waiter {
  readonly tokenId: string;
  /** The token ends before the approval would time out: when the timer fires, it fails with invalid_token. */
  readonly endsWithToken: boolean;
  readonly resolve: (value: { readonly approvalId: string }) => void;
  readonly reject: (error: VkError) => void;
  readonly timer: ReturnType<typeof setTimeout>;
  /** A person's decision is being audited: the timeout no longer applies. */
  deciding: boolean;
  /** Set when the request was cancelled (revoke, lock, pause) while its decision was being audited. */
  cancelled: VkError | undefined;
}

export class ApprovalBrokerImpl implements ApprovalBroker {
  readonly #deps: ApprovalBrokerDeps;
  readonly #store: ApprovalStore;
  readonly #timeoutMs: number;
  readonly #waiters = new Map<string, Waiter>();

  constructor(deps: ApprovalBrokerDeps) {
    this.#deps = deps;
    this.#store = new ApprovalStore(deps.db);
    this.#timeoutMs = deps.timeoutMs ?? DEFAULT_APPROVAL_TIMEOUT_MS;
    const leftovers = this.#store.expireLeftovers(deps.clock());
    if (leftovers > 0) {
      this.#auditQuietly({ actor: 'engine', action: 'approval.expire_leftover', outcome: 'ok', detail: { count: leftovers } });
    }
  }

  /**
   * Setting `none` resolves at once with approvalId '' (the endpoint need not call for it).
   * Otherwise a standing approval that covers the request answers at once; else a person is asked.
   */
  async await(request: ApprovalRequest): Promise<{ readonly approvalId: string }> {
    if (request.setting.mode === 'none') return { approvalId: '' };
    const now = this.#deps.clock();
    const { token, jkt, vaultId, action } = request;
    const standing = this.#store.standing(token.id, jkt, vaultId, action, now).filter((row) => covers(row, request));
    // A covering row the engine did not write is refused outright, not quietly skipped: the person should see it.
    for (const row of standing) this.#deps.seal.check('approvals', row.id, storedDecisionFields(row), row.mac);
    if (standing[0] !== undefined) return { approvalId: standing[0].id };
    return this.#ask(request, now);
  }

  async decide(approvalId: string, decision: ApprovalDecision, minutes?: number): Promise<ApprovalInfo> {
    checkDecision(decision, minutes);
    const row = this.#store.get(approvalId);
    if (row === undefined) throw new VkError('not_found', 'no approval with that id');
    const waiter = this.#waiters.get(approvalId);
    // Not pending, or another decision for it is in flight: a late click changes nothing.
    if (row.status !== 'pending' || waiter === undefined || waiter.deciding) return this.#info(row);
    waiter.deciding = true;
    clearTimeout(waiter.timer);
    const now = this.#deps.clock();
    const outcome = decisionOutcome(row, decision, minutes, now);
    try {
      await this.#deps.audit({ ...this.#auditBase(row), actor: 'person', action: 'approval.decide', outcome: 'ok', detail: { decision, minutes: outcome.minutes } });
    } catch (e) {
      // No log, no grant: the request fails and nothing stays allowed.
      this.#end(approvalId, waiter, 'denied', e instanceof VkError ? e : new VkError('audit_unavailable'));
      throw e;
    }
    // Right before release: what happened while the person looked, or while the row was written, wins.
    const stale = waiter.cancelled ?? (outcome.status === 'allowed' ? this.#deps.stale(waiter.tokenId) : undefined);
    if (stale !== undefined) {
      this.#end(approvalId, waiter, 'denied', stale);
      await this.#auditQuietly({ ...this.#auditBase(row), actor: 'engine', action: 'approval.cancel', outcome: 'refused', errorCode: stale.code });
      return this.#infoById(approvalId);
    }
    this.#waiters.delete(approvalId);
    this.#store.decide(approvalId, outcome, now, this.#deps.seal.sign('approvals', approvalId, decisionFields(row, outcome, now)));
    if (outcome.status === 'allowed') waiter.resolve({ approvalId });
    else waiter.reject(new VkError('approval_denied'));
    return this.#emitDecided(approvalId);
  }

  list(status: 'pending' | 'all', limit: number = DEFAULT_LIST_LIMIT): ApprovalInfo[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
      throw new VkError('invalid_request', `limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
    }
    return this.#store.list(status, limit).map((row) => this.#info(row));
  }

  /** Pending requests of a revoked token fail at once with invalid_token. */
  cancelForToken(tokenId: string): void {
    this.#cancel('invalid_token', (w) => w.tokenId === tokenId);
  }

  /** The engine locked or agents were paused: every waiting request fails at once with that code. */
  cancelAll(code: 'vault_locked' | 'agents_paused'): void {
    this.#cancel(code, () => true);
  }

  #cancel(code: 'invalid_token' | 'vault_locked' | 'agents_paused', which: (w: Waiter) => boolean): void {
    for (const [id, waiter] of [...this.#waiters]) {
      if (!which(waiter)) continue;
      if (waiter.deciding) {
        waiter.cancelled ??= new VkError(code); // decide() ends it once its audit row is written
        continue;
      }
      const row = this.#store.get(id);
      this.#end(id, waiter, 'denied', new VkError(code));
      if (row !== undefined) {
        void this.#auditQuietly({ ...this.#auditBase(row), actor: 'engine', action: 'approval.cancel', outcome: 'refused', errorCode: code });
      }
    }
  }

  /** Shutdown: every waiting request times out now. */
  close(): void {
    for (const id of [...this.#waiters.keys()]) void this.#timeout(id);
  }

  async #ask(request: ApprovalRequest, now: number): Promise<{ readonly approvalId: string }> {
    const id = newId();
    this.#store.insert({
      id,
      token_id: request.token.id,
      jkt: request.jkt,
      agent: request.token.name,
      vault_id: request.vaultId,
      entry_id: request.entryId,
      field: request.field,
      action: request.action,
      reason: request.reason,
      created_at: now,
      expires_at: now + this.#timeoutMs,
      setting: JSON.stringify(request.setting),
    });
    const answer = this.#wait(id, request.token.id, request.token.expiresAt, now);
    const row = this.#store.get(id);
    try {
      if (row === undefined) throw new VkError('internal_error');
      await this.#deps.audit({ ...this.#auditBase(row), actor: 'agent', action: 'approval.request', outcome: 'ok', detail: { setting: request.setting.mode } });
    } catch (e) {
      const waiter = this.#waiters.get(id);
      if (waiter !== undefined) this.#drop(id, waiter);
      this.#store.delete(id);
      throw e;
    }
    if (row !== undefined) this.#deps.emit({ type: 'approval.requested', approval: this.#info(row) });
    return answer;
  }

  #wait(id: string, tokenId: string, tokenExpiresAt: number, now: number): Promise<{ readonly approvalId: string }> {
    let waiter: Waiter | undefined;
    const answer = new Promise<{ readonly approvalId: string }>((resolve, reject) => {
      // The token may end before the approval would time out: the request ends with it.
      const endsWithToken = tokenExpiresAt - now < this.#timeoutMs;
      const timer = setTimeout(() => void this.#timeout(id), Math.max(0, endsWithToken ? tokenExpiresAt - now : this.#timeoutMs));
      timer.unref();
      waiter = { tokenId, endsWithToken, resolve, reject, timer, deciding: false, cancelled: undefined };
    });
    if (waiter !== undefined) this.#waiters.set(id, waiter);
    // Marks the promise handled: it may settle before the caller awaits it (during the audit write).
    answer.catch(() => undefined);
    return answer;
  }

  async #timeout(id: string): Promise<void> {
    const waiter = this.#waiters.get(id);
    if (waiter === undefined || waiter.deciding) return;
    if (waiter.endsWithToken) return this.#cancel('invalid_token', (w) => w === waiter);
    const row = this.#store.get(id);
    this.#drop(id, waiter);
    const closed = row !== undefined && this.#store.close(id, 'timed_out', this.#deps.clock());
    if (closed) {
      await this.#auditQuietly({ ...this.#auditBase(row), actor: 'engine', action: 'approval.timeout', outcome: 'refused', errorCode: 'approval_timeout' });
    }
    waiter.reject(new VkError('approval_timeout'));
    if (closed) this.#emitDecided(id);
  }

  /** Ends a request that no decision completed: the row closes, the waiter fails, prompts update. */
  #end(id: string, waiter: Waiter, status: 'timed_out' | 'denied', error: VkError): void {
    this.#drop(id, waiter);
    this.#store.close(id, status, this.#deps.clock());
    waiter.reject(error);
    this.#emitDecided(id);
  }

  #drop(id: string, waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.#waiters.delete(id);
  }

  #emitDecided(id: string): ApprovalInfo {
    const info = this.#infoById(id);
    this.#deps.emit({ type: 'approval.decided', approval: info });
    return info;
  }

  #infoById(id: string): ApprovalInfo {
    const row = this.#store.get(id);
    if (row === undefined) throw new VkError('not_found', 'no approval with that id');
    return this.#info(row);
  }

  #info(row: ApprovalRow): ApprovalInfo {
    return toApprovalInfo(row, this.#deps.describe);
  }

  #auditBase(row: ApprovalRow): Partial<AuditRecord> {
    return {
      agent: row.agent,
      tokenId: row.token_id,
      keyThumbprint: row.jkt,
      vaultId: row.vault_id,
      entryId: row.entry_id,
      field: row.field,
      reason: row.reason,
      approvalId: row.id,
    };
  }

  /** For rows about a request that fails anyway: a failed audit write must not turn into an unhandled rejection. */
  async #auditQuietly(record: AuditRecord): Promise<void> {
    try {
      await this.#deps.audit(record);
    } catch {
      // The request is refused either way; the ledger reports its own failure to the person.
    }
  }
}
