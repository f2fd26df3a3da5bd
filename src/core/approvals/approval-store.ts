/**
 * The `approvals` table, behind a few named statements. Status changes only ever leave
 * 'pending' (`WHERE status = 'pending'`), so a late decision or a second timeout changes nothing.
 */
import type { ApprovalDecision, ApprovalSetting, ApprovalStatus, TokenAction, TokenOrigin } from '../../shared/model.js';
import type { Database } from '../store/database.js';
import type { MacField } from '../integrity/row-mac.js';

export interface ApprovalRow {
  readonly id: string;
  readonly token_id: string;
  /** Joined from `tokens`. */
  readonly token_name: string;
  /** Joined from `tokens`: a device-flow token's name is only what the agent claimed. */
  readonly token_origin: TokenOrigin;
  readonly jkt: string | null;
  readonly agent: string;
  readonly vault_id: string;
  readonly entry_id: string | null;
  readonly field: string | null;
  readonly action: TokenAction;
  readonly reason: string | null;
  readonly status: ApprovalStatus;
  readonly decision: ApprovalDecision | null;
  readonly minutes: number | null;
  readonly created_at: number;
  readonly expires_at: number;
  readonly decided_at: number | null;
  readonly valid_until: number | null;
  /** JSON ApprovalSetting in force when the request was made. */
  readonly setting: string;
  /** MAC of the decision (decisionFields); null while pending. */
  readonly mac: string | null;
}

export type NewApprovalRow = Omit<ApprovalRow, 'token_name' | 'token_origin' | 'status' | 'decision' | 'minutes' | 'decided_at' | 'valid_until' | 'mac'>;

type DecisionBasis = Pick<ApprovalRow, 'token_id' | 'jkt' | 'agent' | 'vault_id' | 'entry_id' | 'field' | 'action' | 'setting' | 'expires_at'>;

/** What an approval's MAC covers: whom and what it binds, and the person's decision. */
export function decisionFields(row: DecisionBasis, d: Pick<Decided, 'status' | 'decision' | 'minutes' | 'validUntil'>, decidedAt: number | null): MacField[] {
  return [row.token_id, row.jkt, row.agent, row.vault_id, row.entry_id, row.field, row.action, row.setting, row.expires_at, d.status, d.decision, d.minutes, d.validUntil, decidedAt];
}

/** The fields of a stored row, for checking its MAC. */
export function storedDecisionFields(row: ApprovalRow): MacField[] {
  return decisionFields(row, { status: row.status === 'allowed' ? 'allowed' : 'denied', decision: row.decision ?? 'deny', minutes: row.minutes, validUntil: row.valid_until }, row.decided_at);
}

export interface Decided {
  readonly status: 'allowed' | 'denied';
  readonly decision: ApprovalDecision;
  readonly minutes: number | null;
  readonly validUntil: number | null;
}

const SELECT = 'SELECT a.*, t.name AS token_name, t.origin AS token_origin FROM approvals a JOIN tokens t ON t.id = a.token_id';

function statements(db: Database) {
  return {
    insert: db.prepare<[NewApprovalRow]>(
      `INSERT INTO approvals (id, token_id, jkt, agent, vault_id, entry_id, field, action, reason, status, created_at, expires_at, setting)
       VALUES (@id, @token_id, @jkt, @agent, @vault_id, @entry_id, @field, @action, @reason, 'pending', @created_at, @expires_at, @setting)`,
    ),
    delete: db.prepare<[string]>("DELETE FROM approvals WHERE id = ? AND status = 'pending'"),
    get: db.prepare<[string], ApprovalRow>(`${SELECT} WHERE a.id = ?`),
    listPending: db.prepare<[number], ApprovalRow>(`${SELECT} WHERE a.status = 'pending' ORDER BY a.created_at DESC, a.id LIMIT ?`),
    listAll: db.prepare<[number], ApprovalRow>(`${SELECT} ORDER BY a.created_at DESC, a.id LIMIT ?`),
    standing: db.prepare<[string, string | null, string, string, number], ApprovalRow>(
      `${SELECT} WHERE a.token_id = ? AND a.jkt IS ? AND a.vault_id = ? AND a.action = ?
       AND a.status = 'allowed' AND a.valid_until IS NOT NULL AND a.valid_until > ?`,
    ),
    decide: db.prepare<[string, string, number | null, number | null, number, string, string]>(
      `UPDATE approvals SET status = ?, decision = ?, minutes = ?, valid_until = ?, decided_at = ?, mac = ?
       WHERE id = ? AND status = 'pending'`,
    ),
    close: db.prepare<[string, number, string]>("UPDATE approvals SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'"),
    unsealed: db.prepare<[], ApprovalRow>(`${SELECT} WHERE a.mac IS NULL AND a.status = 'allowed'`),
    setMac: db.prepare<[string, string]>('UPDATE approvals SET mac = ? WHERE id = ?'),
    expireLeftovers: db.prepare<[number]>("UPDATE approvals SET status = 'timed_out', decided_at = ? WHERE status = 'pending'"),
  };
}

export class ApprovalStore {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Database) {
    this.#sql = statements(db);
  }

  insert(row: NewApprovalRow): void {
    this.#sql.insert.run(row);
  }

  /** Removes a request that was never audited, so it was never asked. */
  delete(id: string): void {
    this.#sql.delete.run(id);
  }

  get(id: string): ApprovalRow | undefined {
    return this.#sql.get.get(id);
  }

  list(status: 'pending' | 'all', limit: number): ApprovalRow[] {
    return (status === 'pending' ? this.#sql.listPending : this.#sql.listAll).all(limit);
  }

  /** Allowed approvals of this token and key for this vault and action that are still valid at `now`. */
  standing(tokenId: string, jkt: string | null, vaultId: string, action: TokenAction, now: number): ApprovalRow[] {
    return this.#sql.standing.all(tokenId, jkt, vaultId, action, now);
  }

  /** True when the row was still pending and now carries the person's decision. */
  decide(id: string, d: Decided, now: number, mac: string): boolean {
    return this.#sql.decide.run(d.status, d.decision, d.minutes, d.validUntil, now, mac, id).changes === 1;
  }

  /** Ends a pending request without a person's decision (timeout, revoked token, failed audit). */
  close(id: string, status: 'timed_out' | 'denied', now: number): boolean {
    return this.#sql.close.run(status, now, id).changes === 1;
  }

  /** Gives allowed rows written before migration 5 their MACs (the one-time step at the first unlock). */
  sealUnsealed(sign: (id: string, fields: readonly MacField[]) => string): number {
    const rows = this.#sql.unsealed.all();
    for (const row of rows) this.#sql.setMac.run(sign(row.id, storedDecisionFields(row)), row.id);
    return rows.length;
  }

  /** Nobody waits for requests left pending by a previous run. */
  expireLeftovers(now: number): number {
    return this.#sql.expireLeftovers.run(now).changes;
  }
}

export function parseSetting(json: string): ApprovalSetting {
  try {
    const value = JSON.parse(json) as ApprovalSetting;
    if (value.mode === 'once_per_token' && Number.isInteger(value.minutes)) return { mode: value.mode, minutes: value.minutes as number };
    if (value.mode === 'none' || value.mode === 'every_access') return { mode: value.mode };
  } catch {
    // fall through: an unreadable setting is read as the strictest
  }
  return { mode: 'every_access' };
}
