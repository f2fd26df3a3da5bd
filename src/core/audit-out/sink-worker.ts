/**
 * One live sink: reads rows after its cursor in batches, hands them to the transport, and moves
 * the persistent cursor to what the receiver surely has. When the receiver is away it retries
 * with exponential backoff, then catches up from the cursor, so nothing is skipped; rows that
 * were sent but not confirmed go out again (duplicates carry the same seq).
 */
import type { AuditRow } from '../../shared/model.js';
import type { AuditSinkStore, SinkRecord } from './sink-store.js';
import { SinkError, sinkErrorMessage, type SinkTransport } from './sink-transport.js';

export interface WorkerTiming {
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
  /** With nothing new to send, look again this often (new rows also wake the worker at once). */
  readonly idleMs: number;
  /** While rows wait for confirmation, check this often. */
  readonly confirmPollMs: number;
}

export interface WorkerDeps {
  readonly store: AuditSinkStore;
  readonly readRows: (afterSeq: number, limit: number) => readonly AuditRow[];
  /** Rows up to this seq were archived and deleted by retention. */
  readonly archivedUpTo: () => number;
  readonly connect: (sink: SinkRecord) => Promise<SinkTransport>;
  readonly batchSize: number;
  readonly timing: WorkerTiming;
}

export class SinkWorker {
  private stopped = false;
  /** Set by notify(); an idle wait that starts after it returns at once. */
  private notified = false;
  private wakeUp: (() => void) | undefined;
  private interrupt: (() => void) | undefined;
  private transport: SinkTransport | undefined;
  private cursor: number;
  private sent: number;
  private loop: Promise<void> | undefined;

  constructor(
    readonly sink: SinkRecord,
    private readonly deps: WorkerDeps,
  ) {
    this.cursor = sink.cursorSeq;
    this.sent = sink.cursorSeq;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** New rows were committed. */
  notify(): void {
    this.notified = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.interrupt?.();
    await this.loop;
    this.quietly(() => this.keepConfirmed());
    this.transport?.close();
    this.transport = undefined;
  }

  private async run(): Promise<void> {
    let backoff = this.deps.timing.minBackoffMs;
    while (!this.stopped) {
      try {
        const waitMs = await this.step();
        backoff = this.deps.timing.minBackoffMs;
        if (waitMs > 0) await this.sleep(waitMs, true);
      } catch (e) {
        this.fail(e);
        // New rows do not cut a backoff short: the receiver is away, not us.
        await this.sleep(backoff, false);
        backoff = Math.min(backoff * 2, this.deps.timing.maxBackoffMs);
      }
    }
  }

  /** One round; answers how long to wait before the next (0: go on at once). */
  private async step(): Promise<number> {
    this.transport ??= await this.deps.connect(this.sink);
    this.keepConfirmed();
    if (!this.transport.healthy()) throw new SinkError('the receiver closed the connection');
    this.skipArchived();
    const rows = this.deps.readRows(this.sent, this.deps.batchSize);
    const last = rows.at(-1);
    if (last !== undefined) {
      await this.transport.deliver(rows);
      this.sent = last.seq;
      this.keepConfirmed();
      return 0;
    }
    return this.cursor < this.sent ? this.deps.timing.confirmPollMs : this.deps.timing.idleMs;
  }

  private keepConfirmed(): void {
    const confirmed = Math.min(this.transport?.confirmed() ?? 0, this.sent);
    if (confirmed <= this.cursor) return;
    this.deps.store.markDelivered(this.sink.id, confirmed);
    this.cursor = confirmed;
  }

  private skipArchived(): void {
    const archived = this.deps.archivedUpTo();
    if (this.sent >= archived) return;
    this.deps.store.skipTo(this.sink.id, archived, `rows ${this.sent + 1} to ${archived} were archived by retention before this sink delivered them`);
    this.cursor = Math.max(this.cursor, archived);
    this.sent = archived;
  }

  /** Keep what was confirmed, drop the connection, and resend the rest next time. */
  private fail(e: unknown): void {
    this.quietly(() => this.keepConfirmed());
    this.transport?.close();
    this.transport = undefined;
    this.sent = this.cursor;
    if (!this.stopped) this.quietly(() => this.deps.store.markError(this.sink.id, sinkErrorMessage(e)));
  }

  /** Health bookkeeping must not end the worker (disk full: the next round tries again). */
  private quietly(write: () => void): void {
    try {
      write();
    } catch {
      // nothing to do: the cursor stays where it was, so nothing is lost
    }
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (wakeable && this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.interrupt = undefined;
        this.notified = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      if (wakeable) this.wakeUp = done;
    });
  }
}
