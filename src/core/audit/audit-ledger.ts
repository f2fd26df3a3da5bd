/**
 * The audit ledger (docs/design.md §6, docs/security.md "Audit"): hash-chained rows, committed with group
 * commit. Requests that arrive in the same turn of the event loop share one transaction, so one
 * fsync (synchronous=FULL) covers them all; each append's promise resolves only after that commit
 * returned, which is what "no log, no secret" waits for. A failed commit rejects every waiter with
 * audit_unavailable and leaves the chain head where it was, so the next append simply retries.
 */
import type { Statement } from 'better-sqlite3';
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { AuditPage, AuditQuery, AuditRecord, AuditRow } from '../../shared/model.js';
import { GENESIS_HASH, rowHash, toHex } from './audit-chain.js';
import {
  dueFromStore, INSERT_CHECKPOINT_SQL, signCheckpoints, unsignedCheckpointSeqs,
  type CheckpointRow, type CheckpointSigner, type DueCheckpoint,
} from './audit-checkpoints.js';
import { headMatchesTable, readSignedHead, writeSignedHead } from './audit-head.js';
import { prepareRecord, type PreparedRecord } from './audit-record-validator.js';
import { runAuditQuery } from './audit-query.js';
import { AuditRows } from './audit-rows.js';
import type { BatchWriter } from './audit-writer-thread.js';
import { AUDIT_COLUMNS, auditInsertValues, decodeAuditRow, INSERT_AUDIT_SQL, type AuditDbRow } from './audit-row-codec.js';

export type { CheckpointSigner } from './audit-checkpoints.js';

export interface AuditLedgerOptions {
  /** Sign a checkpoint every this many rows; default 1000. */
  readonly checkpointEvery?: number;
  readonly signer?: CheckpointSigner;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  readonly clock?: () => number;
  /**
   * Commit batches elsewhere (audit-writer-thread.ts) instead of on this connection. One batch is
   * in flight at a time; what arrives meanwhile forms the next one.
   */
  readonly writer?: BatchWriter;
}

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** Counters since this ledger was created; `commits` counts transactions (group commit shows as rows ≫ commits). */
export interface AuditLedgerStats {
  readonly rows: number;
  readonly commits: number;
  readonly lastCommitRows: number;
}

export type AuditListener = (rows: readonly AuditRow[]) => void;

interface Waiter {
  readonly records: readonly PreparedRecord[];
  readonly resolve: (rows: readonly AuditRow[]) => void;
  readonly reject: (error: unknown) => void;
}

interface Batch {
  readonly rows: readonly AuditRow[];
  readonly inserts: readonly (readonly unknown[])[];
  readonly checkpoints: readonly CheckpointRow[];
  readonly headHash: Uint8Array;
  readonly pendingAfter: readonly number[];
}

export class AuditLedger {
  private readonly db: Database;
  private readonly writer: BatchWriter | undefined;
  private inFlight: Promise<void> | undefined;
  /** The checkpoint interval. */
  readonly every: number;
  private readonly clock: () => number;
  private signer: CheckpointSigner | undefined;
  /** False when the stored signed head no longer matches the table: nothing is signed over that. */
  readonly headIntact: boolean;
  /** Reads and retention deletes over the engine's connection: the one way other folders reach the table. */
  readonly rows: AuditRows;
  private headSeq: number;
  private headHash: Uint8Array;
  /** Checkpoint seqs whose rows are committed but not yet signed. */
  private pending: readonly number[];
  private queue: Waiter[] = [];
  private scheduled = false;
  private readonly listeners = new Set<AuditListener>();
  private counters: AuditLedgerStats = { rows: 0, commits: 0, lastCommitRows: 0 };
  private readonly writeBatch: (batch: Batch) => void;
  private readonly writeCheckpoints: (rows: readonly CheckpointRow[]) => void;
  private readonly selectOne: Statement<[number], AuditDbRow>;

  constructor(db: Database, options: AuditLedgerOptions = {}) {
    const every = options.checkpointEvery ?? 1000;
    if (!Number.isSafeInteger(every) || every < 1) throw new RangeError('checkpointEvery must be a whole number of at least 1');
    this.db = db;
    this.writer = options.writer;
    this.every = every;
    this.clock = options.clock ?? Date.now;
    const last = db.prepare<[], { seq: number; hash: Uint8Array }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
    this.headSeq = last?.seq ?? 0;
    this.headHash = last === undefined ? GENESIS_HASH : new Uint8Array(last.hash);
    const signedHead = readSignedHead(db);
    this.headIntact = headMatchesTable(db, signedHead);
    // Checkpoints missing at or before the signed head were removed, not forgotten: never re-sign them.
    this.pending = unsignedCheckpointSeqs(db, every, this.headSeq).filter((seq) => seq > (signedHead?.seq ?? 0));
    const insertRow = db.prepare(INSERT_AUDIT_SQL);
    const insertCheckpoint = db.prepare(INSERT_CHECKPOINT_SQL);
    const putCheckpoints = (rows: readonly CheckpointRow[]): void => {
      for (const c of rows) insertCheckpoint.run(c.seq, c.hash, c.ts, c.keyId, c.signature);
    };
    this.writeCheckpoints = db.transaction(putCheckpoints);
    this.writeBatch = db.transaction((batch: Batch) => {
      for (const values of batch.inserts) insertRow.run(...values);
      putCheckpoints(batch.checkpoints);
    });
    this.selectOne = db.prepare(`SELECT ${AUDIT_COLUMNS} FROM audit WHERE seq = ?`);
    this.rows = new AuditRows(db);
    if (options.signer !== undefined) this.signOnStart(options.signer);
  }

  /** Resolves with the stored row once it is committed; rejects with invalid_request or audit_unavailable. */
  append(record: AuditRecord): Promise<AuditRow> {
    return this.enqueue([record]).then((rows) => {
      const row = rows[0];
      if (row === undefined) throw new VkError('internal_error');
      return row;
    });
  }

  /** Several records, committed together in one transaction, in order. */
  appendMany(records: readonly AuditRecord[]): Promise<readonly AuditRow[]> {
    return records.length === 0 ? Promise.resolve([]) : this.enqueue(records);
  }

  /**
   * Sets (or, with undefined, forgets) the checkpoint signer, and signs the checkpoints that fell
   * due without one. If writing them fails it throws audit_unavailable; the next commit retries.
   */
  setSigner(signer: CheckpointSigner | undefined): void {
    // A table rewritten or cut below its signed head gets no new signatures: they would bless the change.
    this.signer = this.headIntact ? signer : undefined;
    if (signer === undefined || !this.headIntact) return;
    if (this.pending.length > 0) {
      const { signed, unsigned } = signCheckpoints(signer, dueFromStore(this.db, this.pending), this.now());
      try {
        this.writeCheckpoints(signed);
      } catch (e) {
        throw new VkError('audit_unavailable', sqliteCode(e));
      }
      this.pending = unsigned;
    }
    this.signHead();
  }

  /**
   * Signs the current head (last row, its hash, the checkpoint interval). The ledger does this at
   * every checkpoint and at close; false when there is no signer or the write failed.
   */
  signHead(): boolean {
    return this.signer !== undefined && writeSignedHead(this.db, this.signer, { seq: this.headSeq, hash: this.headHash, every: this.every }, this.now());
  }

  pendingCheckpoints(): readonly number[] {
    return this.pending;
  }

  head(): AuditHead {
    return { seq: this.headSeq, hash: toHex(this.headHash) };
  }

  stats(): AuditLedgerStats {
    return this.counters;
  }

  /** Called after each commit with the rows it wrote. A listener's exception never reaches the ledger. */
  onAppend(listener: AuditListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  query(q: AuditQuery): AuditPage {
    return runAuditQuery(this.db, q);
  }

  get(seq: number): AuditRow | undefined {
    const row = this.selectOne.get(seq);
    return row === undefined ? undefined : decodeAuditRow(row);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit').get()?.n ?? 0;
  }

  private enqueue(records: readonly AuditRecord[]): Promise<readonly AuditRow[]> {
    return new Promise((resolve, reject) => {
      const ts = this.now();
      const prepared = records.map((r) => prepareRecord(r, ts));
      this.queue.push({ records: prepared, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.writeQueued());
      }
    });
  }

  /** Write whatever is queued now and wait for it (before closing the database, or verifying the chain). */
  async flush(): Promise<void> {
    this.writeQueued();
    while (this.inFlight) {
      await this.inFlight;
      if (!this.inFlight && this.queue.length > 0) this.writeQueued();
    }
  }

  /** Stops the writer thread, if any, after what is queued is written. */
  async close(): Promise<void> {
    await this.flush();
    await this.writer?.close();
    this.signHead(); // clean shutdown: the signed head covers every row
  }

  private writeQueued(): void {
    this.scheduled = false;
    if (this.writer) {
      if (!this.inFlight && this.queue.length > 0) this.inFlight = this.writeElsewhere(this.writer);
      return;
    }
    const waiters = this.queue;
    this.queue = [];
    if (waiters.length === 0) return;
    let batch: Batch;
    try {
      batch = this.buildBatch(waiters);
      this.writeBatch(batch);
    } catch (e) {
      const code = sqliteCode(e);
      for (const w of waiters) w.reject(new VkError('audit_unavailable', code));
      return;
    }
    this.settle(waiters, batch);
  }

  private async writeElsewhere(writer: BatchWriter): Promise<void> {
    const waiters = this.queue;
    this.queue = [];
    let batch: Batch | undefined;
    try {
      batch = this.buildBatch(waiters);
      await writer.write(batch.inserts, batch.checkpoints);
    } catch (e) {
      for (const w of waiters) w.reject(new VkError('audit_unavailable', sqliteCode(e)));
      batch = undefined;
    }
    if (batch) this.settle(waiters, batch);
    this.inFlight = this.queue.length > 0 ? this.writeElsewhere(writer) : undefined;
  }

  private settle(waiters: readonly Waiter[], batch: Batch): void {
    this.advance(batch);
    if (batch.checkpoints.length > 0) this.signHead();
    let at = 0;
    for (const w of waiters) {
      w.resolve(batch.rows.slice(at, at + w.records.length));
      at += w.records.length;
    }
    this.notify(batch.rows);
  }

  /** Chains the queued records onto the head, in memory only: nothing changes until the commit succeeds. */
  private buildBatch(waiters: readonly Waiter[]): Batch {
    let seq = this.headSeq;
    let prev = this.headHash;
    const rows: AuditRow[] = [];
    const inserts: (readonly unknown[])[] = [];
    const due: DueCheckpoint[] = this.signer === undefined ? [] : dueFromStore(this.db, this.pending);
    for (const { row: fields, detailJson } of waiters.flatMap((w) => w.records)) {
      seq += 1;
      const hash = rowHash(prev, { seq, ...fields });
      const row: AuditRow = { seq, ...fields, hash: toHex(hash) };
      rows.push(row);
      inserts.push(auditInsertValues(row, detailJson, hash));
      if (seq % this.every === 0) due.push({ seq, hash });
      prev = hash;
    }
    const { signed, unsigned } = signCheckpoints(this.signer, due, this.now());
    const pendingAfter = this.signer === undefined ? [...this.pending, ...unsigned] : unsigned;
    return { rows, inserts, checkpoints: signed, headHash: prev, pendingAfter };
  }

  private advance(batch: Batch): void {
    this.headSeq += batch.rows.length;
    this.headHash = batch.headHash;
    this.pending = batch.pendingAfter;
    this.counters = {
      rows: this.counters.rows + batch.rows.length,
      commits: this.counters.commits + 1,
      lastCommitRows: batch.rows.length,
    };
  }

  private notify(rows: readonly AuditRow[]): void {
    for (const listener of this.listeners) {
      try {
        listener(rows);
      } catch {
        // A broken dashboard or stream must not turn a committed row into a failed request.
      }
    }
  }

  private signOnStart(signer: CheckpointSigner): void {
    try {
      this.setSigner(signer);
    } catch {
      // Disk full at start: the checkpoints stay pending and the next commit writes them.
    }
  }

  /** Integer milliseconds: the column is INTEGER in a STRICT table and ts is part of the hash. */
  private now(): number {
    return Math.floor(this.clock());
  }
}

/** The SQLite result code (e.g. SQLITE_FULL) helps the person; it never carries data. */
function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_[A-Z_]+$/.test(code) ? code : undefined;
}
