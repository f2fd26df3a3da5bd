/**
 * Tripwires on the agent path (docs/security.md, attacks 72-81): canary entries, per-token rules
 * and per-token pause. The endpoint calls `admit` after authentication, `touchEntry` for every
 * entry a request names (before the scope check, so a refused touch trips too) and `inspect`
 * before any approval or value is read. Each trip writes an `alert.*` audit row (the evidence,
 * never a value), which the dashboards, the tray and the SIEM streams pick up from the ledger.
 */
import { VkError } from '../../shared/errors.js';
import type { AuditPage, AuditQuery, AuditRecord, AuditRow, AdminEvent, AlertRule, Entry, TokenAction, TokenRules, TokenTripwires } from '../../shared/model.js';
import type { ApprovalBroker, TokenRecord, TokenService } from '../agent/agent-services.js';
import type { MasterKey } from '../crypto/types.js';
import { AccessHistories } from './access-history.js';
import { checkRules, type RuleTrip } from './rule-checks.js';
import type { TokenGuard, TokenGuardStore } from './token-guard-store.js';

export interface TripwireDeps {
  readonly tokens: Pick<TokenService, 'record' | 'revoke'> & { markGuarded(tokenId: string): void };
  /** Reports a guard row that is missing or older than the log (audited once, shown to the person). */
  readonly missing: (tokenId: string) => void;
  /** Whether the audit log's last pause-or-resume row for the token says paused. */
  readonly pausedInLog?: (tokenId: string) => boolean;
  readonly approvals: Pick<ApprovalBroker, 'await' | 'cancelForToken'>;
  readonly guards: TokenGuardStore;
  readonly audit: (record: AuditRecord) => Promise<AuditRow>;
  /** The audit ledger's query: seeds each token's history. */
  readonly pastRows: (q: AuditQuery) => AuditPage;
  readonly emit: (e: AdminEvent) => void;
  /** The master key; throws vault_locked while locked. */
  readonly master: () => MasterKey;
  readonly clock: () => number;
}

/** Who is asking, as the endpoint's audit trail knows it after authentication. */
export interface AccessTrail {
  readonly tokenId: string | null;
  readonly agent: string | null;
  readonly keyThumbprint: string | null;
  readonly reason: string | null;
}

/** Where and how: the listener (`tcp`, `socket`) and the route's audit action (`secret.read`, `secret.use`). */
export interface AccessPlace {
  readonly via: string;
  readonly route: string;
}

export interface InspectedTarget {
  readonly vaultId: string;
  readonly entryId: string;
  readonly field: string;
}

const NO_GUARD: TokenGuard = { rules: {}, pausedAt: null };
const SECOND_KEY_ALERT_GAP_MS = 60_000;

export class TripwireService {
  readonly #deps: TripwireDeps;
  readonly #guards = new Map<string, TokenGuard>();
  readonly #history: AccessHistories;
  readonly #lastSecondKeyAlert = new Map<string, number>();

  constructor(deps: TripwireDeps) {
    this.#deps = deps;
    this.#history = new AccessHistories(deps.pastRows);
  }

  // ---- the agent path ----

  /** A paused token (or one exchanged from a paused token) is refused like any paused token. */
  admit(record: TokenRecord): void {
    if (this.#chain(record).some((r) => this.#guard(r.id).pausedAt !== null)) throw new VkError('token_paused');
  }

  /**
   * Called for each entry a request names, whether or not the scope allows it. Touching a canary
   * revokes (or pauses) the token now, before the answer, and the agent gets exactly the answer a
   * revoked (paused) token gets. Synchronous in effect: the alert row commits right after.
   */
  touchEntry(trail: AccessTrail, place: AccessPlace, entry: Pick<Entry, 'id' | 'vaultId' | 'canary'>, field: string): void {
    if (entry.canary === undefined || trail.tokenId === null) return;
    const tokenId = trail.tokenId;
    const revoke = entry.canary.onTrip === 'revoke';
    // The revocation is in force before revoke() first awaits; the promise only carries its audit row.
    if (revoke) void this.#deps.tokens.revoke(tokenId, 'canary', 'engine').catch(() => undefined);
    else this.#pause(tokenId);
    const code = revoke ? 'invalid_token' : 'token_paused';
    this.#raise('canary', trail, place, { entryId: entry.id, vaultId: entry.vaultId, field }, { done: revoke ? 'revoked' : 'paused', stopped: code }).catch(() => undefined);
    throw new VkError(code);
  }

  /** The token's rules on one request, before approvals and values. `ask` waits for a person. */
  async inspect(record: TokenRecord, jkt: string | null, trail: AccessTrail, place: AccessPlace, targets: readonly InspectedTarget[], action: TokenAction): Promise<void> {
    const rules = this.#rulesOf(record);
    const now = this.#deps.clock();
    const reason = trail.reason ?? '';
    const trips = hasRules(rules) ? checkRules(rules, this.#history.of(record.id, now), { now, reason, targets }) : [];
    this.#history.record(record.id, now, reason, targets.map((t) => t.entryId));
    const pause = trips.find((t) => t.action === 'pause');
    if (pause !== undefined) {
      this.#pause(record.id);
      await Promise.all(trips.map((t) => this.#raiseTrip(t, trail, place, t === pause ? { done: 'paused', stopped: 'token_paused' } : { done: 'alerted' })));
      throw new VkError('token_paused');
    }
    await Promise.all(trips.map((t) => this.#raiseTrip(t, trail, place, { done: t.action === 'ask' ? 'asked' : 'alerted' })));
    for (const trip of trips.filter((t) => t.action === 'ask')) {
      for (const target of targets.filter((t) => trip.entryId === undefined || t.entryId === trip.entryId)) {
        await this.#deps.approvals.await({ token: record, jkt, vaultId: target.vaultId, entryId: target.entryId, field: target.field, action, reason, setting: { mode: 'every_access' } });
      }
    }
  }

  /** A proof from another key was refused for this token: alert (at most once a minute per token), maybe pause. */
  keyRefused(record: TokenRecord, trail: AccessTrail, place: AccessPlace): void {
    const rule = this.#rulesOf(record).secondKey;
    const now = this.#deps.clock();
    if (rule === undefined || now - (this.#lastSecondKeyAlert.get(record.id) ?? -Infinity) < SECOND_KEY_ALERT_GAP_MS) return;
    this.#lastSecondKeyAlert.set(record.id, now);
    if (rule.action === 'pause') this.#pause(record.id);
    const trip: RuleTrip = { rule: 'second_key', action: rule.action, evidence: { boundKey: record.jkt } };
    this.#raiseTrip(trip, trail, place, { done: rule.action === 'pause' ? 'paused' : 'alerted', stopped: 'invalid_token' }).catch(() => undefined);
  }

  // ---- the person's side ----

  tripwiresOf(tokenId: string): TokenTripwires {
    const guard = this.#guard(tokenId);
    return { paused: guard.pausedAt !== null, rules: guard.rules };
  }

  /** Replaces the token's rules and audits which rules it now has (a person's act). */
  async setRules(tokenId: string, rules: TokenRules, via: string): Promise<TokenTripwires> {
    this.#write(tokenId, { ...this.#guard(tokenId), rules });
    await this.#deps.audit({ actor: 'person', action: 'token.rules_set', outcome: 'ok', tokenId, detail: { via, rules: Object.keys(rules) } });
    return this.tripwiresOf(tokenId);
  }

  /** Safe: a paused token is refused from its next request on; its pending approvals end now. */
  pause(tokenId: string): void {
    this.#pause(tokenId);
  }

  resume(tokenId: string): void {
    this.#write(tokenId, { ...this.#guard(tokenId), pausedAt: null });
    this.#deps.emit({ type: 'tokens.changed' });
  }

  // ---- helpers ----

  #pause(tokenId: string): void {
    const guard = this.#guard(tokenId);
    if (guard.pausedAt === null) this.#write(tokenId, { ...guard, pausedAt: this.#deps.clock() });
    this.#deps.approvals.cancelForToken(tokenId);
    this.#deps.emit({ type: 'tokens.changed' });
  }

  #guard(tokenId: string): TokenGuard {
    let guard = this.#guards.get(tokenId);
    if (guard === undefined) {
      guard = this.#deps.guards.read(this.#deps.master(), tokenId) ?? this.#noGuard(tokenId);
      if (guard.pausedAt === null && this.#deps.pausedInLog?.(tokenId) === true) {
        // A guard put back from before a pause: it opens, but the log says paused. It stays paused.
        this.#deps.missing(tokenId);
        guard = { ...guard, pausedAt: this.#deps.clock() };
      }
      this.#guards.set(tokenId, guard);
    }
    return guard;
  }

  /** No guard row: fine for a token that never had one; for one whose MAC'd row says it had, its rules and pause were deleted. */
  #noGuard(tokenId: string): TokenGuard {
    if (this.#deps.tokens.record(tokenId)?.guarded !== true) return NO_GUARD;
    this.#deps.missing(tokenId);
    throw new VkError('tamper_detected');
  }

  #write(tokenId: string, guard: TokenGuard): void {
    this.#deps.guards.write(this.#deps.master(), tokenId, guard);
    this.#guards.set(tokenId, guard);
    this.#deps.tokens.markGuarded(tokenId);
  }

  /** The token and the tokens it was exchanged from, nearest first. */
  #chain(record: TokenRecord): TokenRecord[] {
    const out = [record];
    for (let parent = record.parentId; parent !== null && out.length < 10; ) {
      const r = this.#deps.tokens.record(parent);
      if (r === undefined) break;
      out.push(r);
      parent = r.parentId;
    }
    return out;
  }

  /** A token's own rules, else those of the token it was exchanged from. */
  #rulesOf(record: TokenRecord): TokenRules {
    return this.#chain(record).map((r) => this.#guard(r.id).rules).find(hasRules) ?? {};
  }

  #raiseTrip(trip: RuleTrip, trail: AccessTrail, place: AccessPlace, outcome: RaiseOutcome): Promise<AuditRow> {
    return this.#raise(trip.rule, trail, place, { entryId: trip.entryId ?? null, vaultId: trip.vaultId ?? null, field: null }, outcome, trip.evidence);
  }

  #raise(rule: AlertRule, trail: AccessTrail, place: AccessPlace, at: AlertPlace, outcome: RaiseOutcome, evidence: Readonly<Record<string, unknown>> = {}): Promise<AuditRow> {
    return this.#deps.audit({
      actor: 'engine',
      action: `alert.${rule}`,
      outcome: outcome.stopped === undefined ? 'ok' : 'refused',
      ...(outcome.stopped === undefined ? {} : { errorCode: outcome.stopped }),
      agent: trail.agent === null ? null : trail.agent.slice(0, 100),
      tokenId: trail.tokenId,
      keyThumbprint: trail.keyThumbprint,
      vaultId: at.vaultId,
      entryId: at.entryId,
      field: at.field === null ? null : at.field.slice(0, 200),
      reason: trail.reason,
      detail: { rule, done: outcome.done, route: place.route, via: place.via, ...evidence },
    });
  }
}

interface RaiseOutcome {
  /** What the engine did: alerted, asked the person, paused or revoked the token. */
  readonly done: 'alerted' | 'asked' | 'paused' | 'revoked';
  /** The code the agent was answered with, when the access was stopped. */
  readonly stopped?: 'invalid_token' | 'token_paused';
}

interface AlertPlace {
  readonly entryId: string | null;
  readonly vaultId: string | null;
  readonly field: string | null;
}

function hasRules(rules: TokenRules): boolean {
  return Object.keys(rules).length > 0;
}
