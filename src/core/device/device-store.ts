/**
 * The `device_requests` table, behind named statements. Only a hash of the device code is kept:
 * a copy of the database cannot be used to poll for someone's token.
 */
import type { DeviceRequestStatus } from '../../shared/model.js';
import type { Database } from '../store/database.js';
import type { MacField } from '../integrity/row-mac.js';

export interface DeviceRow {
  readonly id: string;
  readonly device_code_hash: string;
  readonly user_code: string;
  readonly client_id: string;
  /** The agent's key; null until a proof (at the request or the first poll) or `dpop_jkt` names it. */
  readonly jkt: string | null;
  /** As requested: refs may be names. */
  readonly scope: string;
  readonly lifespan_seconds: number;
  readonly reason: string;
  readonly status: DeviceRequestStatus;
  readonly interval_seconds: number;
  readonly created_at: number;
  readonly expires_at: number;
  readonly decided_at: number | null;
  readonly last_poll_at: number | null;
  readonly token_id: string | null;
  /** Set on approval: canonical scope with ids. */
  readonly granted_scope: string | null;
  readonly granted_lifespan_seconds: number | null;
  /** MAC of the person's approval (decisionFields); null until approved. */
  readonly mac: string | null;
}

/**
 * What the MAC of an approval covers: the request's identity (code hash, name, expiry) and what
 * was granted. Not the key: that is bound by the agent's own first proven poll, which may come
 * after the approval, and only the holder of the device code (stored here only as a hash) can
 * make it. A row marked approved by anyone but the engine has no valid MAC; an approved row copied
 * back after use is still bound to its expiry (10 minutes after the request).
 */
export function decisionFields(
  row: Pick<DeviceRow, 'device_code_hash' | 'client_id' | 'expires_at'>,
  grantedScope: string | null,
  lifespanSeconds: number | null,
  decidedAt: number | null): MacField[] {
  return [row.device_code_hash, row.client_id, row.expires_at, 'approved', grantedScope, lifespanSeconds, decidedAt];
}

export type NewDeviceRow = Pick<
  DeviceRow,
  'id' | 'device_code_hash' | 'user_code' | 'client_id' | 'jkt' | 'scope' | 'lifespan_seconds' | 'reason' | 'interval_seconds' | 'created_at' | 'expires_at'
>;

const LIVE = "status IN ('pending', 'approved')";

function statements(db: Database) {
  return {
    insert: db.prepare<[NewDeviceRow]>(
      `INSERT INTO device_requests (id, device_code_hash, user_code, client_id, jkt, scope, lifespan_seconds, reason, status, interval_seconds, created_at, expires_at)
       VALUES (@id, @device_code_hash, @user_code, @client_id, @jkt, @scope, @lifespan_seconds, @reason, 'pending', @interval_seconds, @created_at, @expires_at)`,
    ),
    delete: db.prepare<[string]>('DELETE FROM device_requests WHERE id = ?'),
    byId: db.prepare<[string], DeviceRow>('SELECT * FROM device_requests WHERE id = ?'),
    byCode: db.prepare<[string], DeviceRow>('SELECT * FROM device_requests WHERE device_code_hash = ?'),
    listPending: db.prepare<[], DeviceRow>("SELECT * FROM device_requests WHERE status = 'pending' ORDER BY created_at DESC, id"),
    listAll: db.prepare<[number], DeviceRow>('SELECT * FROM device_requests ORDER BY created_at DESC, id LIMIT ?'),
    pendingOfKey: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM device_requests WHERE status = 'pending' AND jkt = ?"),
    pendingOfClient: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM device_requests WHERE status = 'pending' AND jkt IS NULL AND client_id = ?"),
    pendingAll: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM device_requests WHERE status = 'pending'"),
    bindKey: db.prepare<[string, string]>('UPDATE device_requests SET jkt = ? WHERE id = ? AND jkt IS NULL'),
    userCodeLive: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM device_requests WHERE user_code = ? AND ${LIVE}`),
    expire: db.prepare<[number]>(`UPDATE device_requests SET status = 'expired' WHERE ${LIVE} AND expires_at <= ?`),
    polled: db.prepare<[number, number, string]>('UPDATE device_requests SET last_poll_at = ?, interval_seconds = ? WHERE id = ?'),
    approve: db.prepare<[string, number, number, string, string]>(
      "UPDATE device_requests SET status = 'approved', granted_scope = ?, granted_lifespan_seconds = ?, decided_at = ?, mac = ? WHERE id = ? AND status = 'pending'",
    ),
    deny: db.prepare<[number, string]>("UPDATE device_requests SET status = 'denied', decided_at = ? WHERE id = ? AND status = 'pending'"),
    claim: db.prepare<[string]>("UPDATE device_requests SET status = 'redeemed' WHERE id = ? AND status = 'approved'"),
    unclaim: db.prepare<[string]>("UPDATE device_requests SET status = 'approved' WHERE id = ? AND status = 'redeemed' AND token_id IS NULL"),
    unsealed: db.prepare<[], DeviceRow>("SELECT * FROM device_requests WHERE mac IS NULL AND status = 'approved'"),
    setMac: db.prepare<[string, string]>('UPDATE device_requests SET mac = ? WHERE id = ?'),
    redeemed: db.prepare<[string, string]>('UPDATE device_requests SET token_id = ? WHERE id = ?'),
  };
}

export class DeviceStore {
  readonly #sql: ReturnType<typeof statements>;

  constructor(db: Database) {
    this.#sql = statements(db);
  }

  insert(row: NewDeviceRow): void {
    this.#sql.insert.run(row);
  }

  /** Removes a request that was never audited, so it was never asked. */
  delete(id: string): void {
    this.#sql.delete.run(id);
  }

  byId(id: string): DeviceRow | undefined {
    return this.#sql.byId.get(id);
  }

  byCodeHash(hash: string): DeviceRow | undefined {
    return this.#sql.byCode.get(hash);
  }

  list(status: 'pending' | 'all', limit: number): DeviceRow[] {
    return status === 'pending' ? this.#sql.listPending.all() : this.#sql.listAll.all(limit);
  }

  pendingCount(jkt?: string): number {
    return (jkt === undefined ? this.#sql.pendingAll.get() : this.#sql.pendingOfKey.get(jkt))?.n ?? 0;
  }

  /** Pending requests under this claimed name that no key names yet. */
  pendingUnboundCount(clientId: string): number {
    return this.#sql.pendingOfClient.get(clientId)?.n ?? 0;
  }

  /** Binds the key once: false when a key is already there (a concurrent poll may have bound it). */
  bindKey(id: string, jkt: string): boolean {
    return this.#sql.bindKey.run(jkt, id).changes === 1;
  }

  userCodeLive(userCode: string): boolean {
    return this.#sql.userCodeLive.get(userCode) !== undefined;
  }

  /** Pending and approved-but-unredeemed requests past their expiry become 'expired'. */
  expire(now: number): void {
    this.#sql.expire.run(now);
  }

  polled(id: string, now: number, intervalSeconds: number): void {
    this.#sql.polled.run(now, intervalSeconds, id);
  }

  approve(id: string, grantedScope: string, lifespanSeconds: number, now: number, mac: string): boolean {
    return this.#sql.approve.run(grantedScope, lifespanSeconds, now, mac, id).changes === 1;
  }

  deny(id: string, now: number): boolean {
    return this.#sql.deny.run(now, id).changes === 1;
  }

  /** Gives approved rows written before migration 5 their MACs (the one-time step at the first unlock). */
  sealUnsealed(sign: (id: string, fields: readonly MacField[]) => string): number {
    const rows = this.#sql.unsealed.all();
    for (const row of rows) this.#sql.setMac.run(sign(row.id, decisionFields(row, row.granted_scope, row.granted_lifespan_seconds, row.decided_at)), row.id);
    return rows.length;
  }

  /** Single use: only one poll can move an approved request to 'redeemed'. */
  claim(id: string): boolean {
    return this.#sql.claim.run(id).changes === 1;
  }

  /** Issuing failed (locked engine): the agent may poll again. */
  unclaim(id: string): void {
    this.#sql.unclaim.run(id);
  }

  redeemed(id: string, tokenId: string): void {
    this.#sql.redeemed.run(tokenId, id);
  }
}
