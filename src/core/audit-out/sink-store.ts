/**
 * The `audit_sinks` table: each sink's configuration, its sealed credential, and its persistent
 * cursor and health. The cursor only moves forward, and only to a row the receiver surely has,
 * so a restart resends what might not have arrived (receivers drop duplicates by seq).
 */
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { AuditSinkConfig, AuditSinkKind } from '../../shared/model.js';
import { looksLikeId } from '../vault/ids.js';
import type { MacField } from '../integrity/row-mac.js';
import type { RowSeal } from '../integrity/row-seal.js';

export interface SinkRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: AuditSinkKind;
  readonly config: AuditSinkConfig;
  readonly sealedCredential: Uint8Array | null;
  readonly enabled: boolean;
  readonly cursorSeq: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastDeliveredAt: number | null;
  readonly lastError: string | null;
  readonly lastErrorAt: number | null;
  /** False when the row fails its MAC (or no key is loaded to check it): such a sink is never started. */
  readonly intact: boolean;
}

export interface NewSink {
  readonly id: string;
  readonly name: string;
  readonly config: AuditSinkConfig;
  readonly sealedCredential: Uint8Array | null;
  readonly enabled: boolean;
  readonly cursorSeq: number;
}

export interface SinkChanges {
  readonly name?: string;
  readonly config?: AuditSinkConfig;
  readonly sealedCredential?: Uint8Array;
  readonly enabled?: boolean;
}

interface SinkDbRow {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly config: string;
  readonly sealed_credential: Uint8Array | null;
  readonly enabled: number;
  readonly cursor_seq: number;
  readonly created_at: number;
  readonly updated_at: number;
  readonly last_delivered_at: number | null;
  readonly last_error: string | null;
  readonly last_error_at: number | null;
  readonly mac: string | null;
}

const COLUMNS = 'id, name, kind, config, sealed_credential, enabled, cursor_seq, created_at, updated_at, last_delivered_at, last_error, last_error_at';

/**
 * What a sink's MAC covers: where the audit stream goes and with which credential, and whether it
 * runs. An agent that points a sink at its own server would otherwise receive the sealed HEC token
 * or webhook key, unsealed, with every row. The cursor and health are bookkeeping, left out.
 */
export function sinkFields(kind: string, configJson: string, sealedCredential: Uint8Array | null, enabled: boolean): MacField[] {
  return [kind, configJson, sealedCredential === null ? null : Buffer.from(sealedCredential).toString('hex'), enabled ? 1 : 0];
}

export class AuditSinkStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
    private readonly seal: RowSeal,
  ) {}

  list(): SinkRecord[] {
    return this.db.prepare<[], SinkDbRow>(`SELECT ${COLUMNS}, mac FROM audit_sinks ORDER BY created_at, name`).all().map((r) => this.decode(r));
  }

  /** By id, or by name (case-insensitive). A tampered sink is tamper_detected, unless `forRemoval`. */
  find(ref: string, forRemoval = false): SinkRecord {
    const byId = looksLikeId(ref) ? this.db.prepare<[string], SinkDbRow>(`SELECT ${COLUMNS}, mac FROM audit_sinks WHERE id = ?`).get(ref) : undefined;
    const row = byId ?? this.db.prepare<[string], SinkDbRow>(`SELECT ${COLUMNS}, mac FROM audit_sinks WHERE name = ?`).get(ref);
    if (row === undefined) throw new VkError('not_found', 'no audit sink by that id or name');
    const sink = this.decode(row);
    if (!sink.intact && !forRemoval && this.seal.ready) throw new VkError('tamper_detected');
    return sink;
  }

  /** Gives sinks written before migration 5 their MACs (the one-time step at the first unlock). */
  sealUnsealed(): number {
    const rows = this.db.prepare<[], SinkDbRow>(`SELECT ${COLUMNS}, mac FROM audit_sinks WHERE mac IS NULL`).all();
    for (const r of rows) this.db.prepare('UPDATE audit_sinks SET mac = ? WHERE id = ?').run(this.macOf(r.id, r.kind, r.config, r.sealed_credential, r.enabled === 1), r.id);
    return rows.length;
  }

  private macOf(id: string, kind: string, configJson: string, credential: Uint8Array | null, enabled: boolean): string {
    return this.seal.sign('audit_sinks', id, sinkFields(kind, configJson, credential === null ? null : new Uint8Array(credential), enabled));
  }

  private decode(r: SinkDbRow): SinkRecord {
    const credential = r.sealed_credential === null ? null : new Uint8Array(r.sealed_credential);
    const intact = this.seal.ready && this.seal.valid('audit_sinks', r.id, sinkFields(r.kind, r.config, credential, r.enabled === 1), r.mac);
    return { ...decode(r), intact };
  }

  insert(sink: NewSink): SinkRecord {
    const now = this.clock();
    this.unique(sink.name, undefined);
    this.db
      .prepare(`INSERT INTO audit_sinks (${COLUMNS}, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)`)
      .run(sink.id, sink.name, sink.config.kind, JSON.stringify(sink.config), sink.sealedCredential, sink.enabled ? 1 : 0, sink.cursorSeq, now, now,
        this.macOf(sink.id, sink.config.kind, JSON.stringify(sink.config), sink.sealedCredential, sink.enabled));
    this.changed();
    return this.find(sink.id);
  }

  update(id: string, changes: SinkChanges): SinkRecord {
    const before = this.find(id);
    if (changes.name !== undefined) this.unique(changes.name, id);
    const config = changes.config ?? before.config;
    if (config.kind !== before.kind) throw new VkError('invalid_request', 'a sink keeps its kind; remove it and add a new one');
    const credential = changes.sealedCredential ?? before.sealedCredential;
    const enabled = changes.enabled ?? before.enabled;
    this.db
      .prepare('UPDATE audit_sinks SET name = ?, config = ?, sealed_credential = ?, enabled = ?, updated_at = ?, mac = ? WHERE id = ?')
      .run(changes.name ?? before.name, JSON.stringify(config), credential, enabled ? 1 : 0, this.clock(), this.macOf(id, before.kind, JSON.stringify(config), credential, enabled), id);
    this.changed();
    return this.find(id);
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM audit_sinks WHERE id = ?').run(id);
    this.changed();
  }

  /** The receiver surely has every row up to seq. Never moves backwards. */
  markDelivered(id: string, seq: number): void {
    this.db.prepare('UPDATE audit_sinks SET cursor_seq = max(cursor_seq, ?), last_delivered_at = ? WHERE id = ?').run(seq, this.clock(), id);
  }

  /** Rows below the retention anchor are gone: jump the cursor over them (the health says so). */
  skipTo(id: string, seq: number, message: string): void {
    this.db.prepare('UPDATE audit_sinks SET cursor_seq = max(cursor_seq, ?), last_error = ?, last_error_at = ? WHERE id = ?').run(seq, message, this.clock(), id);
  }

  /** `message` is fixed wording from the transports: never a credential or a receiver's reply. */
  markError(id: string, message: string): void {
    this.db.prepare('UPDATE audit_sinks SET last_error = ?, last_error_at = ? WHERE id = ?').run(message.slice(0, 300), this.clock(), id);
  }

  /** Retention keeps what an enabled sink has not delivered yet. */
  minEnabledCursor(): number | undefined {
    return this.db.prepare<[], { seq: number | null }>('SELECT min(cursor_seq) AS seq FROM audit_sinks WHERE enabled = 1').get()?.seq ?? undefined;
  }

  /** Called after a sink is added, changed or removed (the runner restarts its workers). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private unique(name: string, exceptId: string | undefined): void {
    const row = this.db.prepare<[string], { id: string }>('SELECT id FROM audit_sinks WHERE name = ?').get(name);
    if (row !== undefined && row.id !== exceptId) throw new VkError('conflict', 'an audit sink by that name already exists');
  }

  private changed(): void {
    for (const l of this.listeners) {
      try {
        l();
      } catch {
        // A listener's failure must not undo a committed change.
      }
    }
  }
}

function decode(r: SinkDbRow): Omit<SinkRecord, 'intact'> {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as AuditSinkKind,
    config: JSON.parse(r.config) as AuditSinkConfig,
    sealedCredential: r.sealed_credential === null ? null : new Uint8Array(r.sealed_credential),
    enabled: r.enabled === 1,
    cursorSeq: r.cursor_seq,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastDeliveredAt: r.last_delivered_at,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
  };
}
