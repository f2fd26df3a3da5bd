/**
 * The engine's high-water mark: the audit chain's row number and hash at the last moment that
 * mattered (a revocation or other person's change, a checkpoint, a clean shutdown), kept in the OS
 * keychain next to the keys. Row MACs cannot tell a database put back from an earlier copy from
 * the present; the mark can: a file whose chain does not reach it is older than the engine's own
 * record and is refused (docs/security.md §9). With a key file there is no mark: the key file sits
 * in the data directory, where whoever copies the database copies it too.
 */
import { VkError } from '../../shared/errors.js';
import type { AuditRow } from '../../shared/model.js';
import { tableReaches } from '../audit/audit-head.js';
import type { AuditHead } from '../audit/audit-ledger.js';
import type { Database } from '../store/database.js';

const PREFIX = 'vkm1:';
const HASH_HEX = /^[0-9a-f]{64}$/;

/** Rows an agent causes on its own that still narrow what it holds: its mark must not lag them. */
const AGENT_NARROWING_ACTIONS: ReadonlySet<string> = new Set(['token.self_revoke']);

/**
 * One small item a key store keeps next to the keys, outside the database, for the mark below.
 * Only the keychain has one; a key file sits in the data
 * directory, where whoever copies the database copies it too.
 */
export interface MarkSlot {
  read(): Promise<string | null>;
  write(value: string): Promise<void>;
}

export function encodeMark(head: AuditHead): string {
  return `${PREFIX}${head.seq}:${head.hash}`;
}

/** The stored mark; undefined when there is none yet (or it is not one of ours). */
export function decodeMark(item: string | null): AuditHead | undefined {
  if (item === null || !item.startsWith(PREFIX)) return undefined;
  const [seqText, hash] = item.slice(PREFIX.length).split(':');
  const seq = Number(seqText);
  if (!Number.isSafeInteger(seq) || seq < 1 || hash === undefined || !HASH_HEX.test(hash)) return undefined;
  return { seq, hash };
}

/** The sentence the person reads when the engine refuses to start on an older file. */
export function olderDatabaseDetail(mark: AuditHead, fileSeq: number): string {
  return (
    `The database is older than the engine's last record of it (audit row ${mark.seq}; this file ends at row ${fileSeq} or differs there): ` +
    'it was put back from an earlier copy, which can bring back revoked access. Restore the newer file or a Valetkey backup, ' +
    'or accept this file with `valetkey daemon --accept-older-database` (asks the admin passphrase; audited).'
  );
}

/** Whether a committed batch should move the mark: anything but an agent's ordinary use, and every checkpoint. */
export function movesMark(rows: readonly AuditRow[], every: number): boolean {
  return rows.some((r) => r.actor !== 'agent' || AGENT_NARROWING_ACTIONS.has(r.action) || r.seq % every === 0);
}

export interface StartDecision {
  /** Reports the refusal (audited once, shown in the status). */
  refused(): void;
  /** Whether the person starting the engine accepts the file; throws when their passphrase is wrong. */
  accepted(): Promise<boolean>;
}

export class HighWaterMark {
  #armed = false;
  #writing: Promise<void> | undefined;
  #next: AuditHead | undefined;
  #written = 0;

  constructor(private readonly slot: MarkSlot) {}

  /**
   * Reads the mark and checks the file reaches it; throws tamper_detected (with what to do) when
   * it does not. Until this passes nothing is written, so a refused file never moves the mark.
   */
  async check(db: Database, fileHead: AuditHead): Promise<void> {
    const mark = decodeMark(await this.slot.read());
    if (mark !== undefined && !tableReaches(db, mark.seq, Buffer.from(mark.hash, 'hex'))) {
      throw new VkError('tamper_detected', olderDatabaseDetail(mark, fileHead.seq));
    }
    this.#armed = true;
  }

  /**
   * At start: `check`, and on a refusal report it; `accepted` (the person's passphrase at start)
   * may then take the file as the reference, else the refusal stands. Then the mark follows the file.
   */
  async checkAtStart(db: Database, head: AuditHead, person: StartDecision): Promise<void> {
    try {
      await this.check(db, head);
    } catch (e) {
      if (!(e instanceof VkError) || e.code !== 'tamper_detected') throw e;
      person.refused();
      if (!(await person.accepted())) throw e;
      this.#armed = true;
    }
    this.record(head);
  }

  /** Moves the mark to `head`, off the caller's path: one keychain write at a time, the newest wins. */
  record(head: AuditHead): void {
    if (!this.#armed || head.seq <= this.#written) return;
    this.#next = head;
    this.#writing ??= this.#drain();
  }

  /** Waits for the writes in flight (at close, so a clean shutdown leaves the mark at the last row). */
  async settle(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#next !== undefined) {
        const head = this.#next;
        this.#next = undefined;
        // A failed write leaves the older mark: the check stays sound, only less tight.
        await this.slot.write(encodeMark(head)).then(
          () => (this.#written = Math.max(this.#written, head.seq)),
          () => undefined,
        );
      }
    } finally {
      this.#writing = undefined;
    }
  }
}
