/**
 * `GET /admin/v1/events`: engine events as Server-Sent Events. Bounded: a fixed number of open
 * streams, and a stream whose reader stops reading is dropped rather than buffered without end.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdminEventSource } from '../../../shared/admin-api.js';
import type { AdminEvent } from '../../../shared/model.js';
import { VkError } from '../../../shared/errors.js';

export const MAX_EVENT_STREAMS = 32;
const HEARTBEAT_MS = 15_000;
/** A reader this far behind is not reading; drop it instead of holding its backlog in memory. */
const MAX_BACKLOG_BYTES = 1 << 20;

export class AdminEventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly source: AdminEventSource,
    private readonly max = MAX_EVENT_STREAMS,
  ) {}

  attach(req: IncomingMessage, res: ServerResponse): void {
    if (this.open.size >= this.max) throw new VkError('rate_limited', 'too many open event streams');
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.write(': connected\n\n');
    this.open.add(res);
    const unsubscribe = this.source((e) => send(res, e));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    res.once('close', () => {
      unsubscribe();
      clearInterval(heartbeat);
      this.open.delete(res);
    });
    req.resume();
  }

  /** End every open stream (engine shutdown). */
  endAll(): void {
    for (const res of this.open) res.end();
  }

  get size(): number {
    return this.open.size;
  }
}

function send(res: ServerResponse, e: AdminEvent): void {
  if (res.writableLength > MAX_BACKLOG_BYTES) {
    res.destroy();
    return;
  }
  // JSON.stringify never emits a raw newline, so one `data:` line carries the whole event.
  res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
}
