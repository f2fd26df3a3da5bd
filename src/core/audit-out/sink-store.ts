/**
 * The `audit_sinks` table: each sink's configuration, its sealed credential, and its persistent
 * cursor and health. The cursor only moves forward, and only to a row the receiver surely has,
 * so a restart resends what might not have arrived (receivers drop duplicates by seq).
 */
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { AuditSinkConfig, AuditSinkKind } from '../../shared/model.js';
import { looksLikeId } from '../vault/ids.js';

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
}

const COLUMNS = 'id, name, kind, config, sealed_credential, enabled, cursor_seq, created_at, updated_at, last_delivered_at, last_error, last_error_at';

export class AuditSinkStore {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
  ) {}

  list(): SinkRecord[] {
    return this.db.prepare<[], SinkDbRow>(`SELECT ${COLUMNS} FROM audit_sinks ORDER BY created_at, name`).all().map(decode);
  }

  /** By id, or by name (case-insensitive). */
  find(ref: string): SinkRecord {
    const byId = looksLikeId(ref) ? this.db.prepare<[string], SinkDbRow>(`SELECT ${COLUMNS} FROM audit_sinks WHERE id = ?`).get(ref) : undefined;
    const row = byId ?? this.db.prepare<[string], SinkDbRow>(`SELECT ${COLUMNS} FROM audit_sinks WHERE name = ?`).get(ref);
    if (row === undefined) throw new VkError('not_found', 'no audit sink by that id or name');
    return decode(row);
  }

  insert(sink: NewSink): SinkRecord {
    const now = this.clock();
    this.unique(sink.name, undefined);
    this.db
      .prepare(`INSERT INTO audit_sinks (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`)
      .run(sink.id, sink.name, sink.config.kind, JSON.stringify(sink.config), sink.sealedCredential, sink.enabled ? 1 : 0, sink.cursorSeq, now, now);
    this.changed();
    return this.find(sink.id);
  }

  update(id: string, changes: SinkChanges): SinkRecord {
    const before = this.find(id);
    if (changes.name !== undefined) this.unique(changes.name, id);
    const config = changes.config ?? before.config;
    if (config.kind !== before.kind) throw new VkError('invalid_request', 'a sink keeps its kind; remove it and add a new one');
    this.db
      .prepare('UPDATE audit_sinks SET name = ?, config = ?, sealed_credential = ?, enabled = ?, updated_at = ? WHERE id = ?')
      .run(changes.name ?? before.name, JSON.stringify(config), changes.sealedCredential ?? before.sealedCredential, (changes.enabled ?? before.enabled) ? 1 : 0, this.clock(), id);
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

function decode(r: SinkDbRow): SinkRecord {
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
