/**
 * What a live sink's worker talks to. Each transport knows how far the receiver surely got:
 * HTTP receivers say so in their answer; a TCP syslog stream has no acknowledgements, so rows
 * count as delivered only once the connection stayed up for a confirmation window after they
 * were written (see syslog-stream.ts).
 */
import type { AuditRow } from '../../shared/model.js';

export interface SinkTransport {
  /** Hands rows, in seq order, to the receiver; rejects with a SinkError when it cannot. */
  deliver(rows: readonly AuditRow[]): Promise<void>;
  /** The highest seq the receiver surely has (0 before anything was confirmed). */
  confirmed(): number;
  /** False once the connection broke: the worker keeps what was confirmed and resends the rest. */
  healthy(): boolean;
  /** One test message (not an audit row), for `valetkey audit sinks test`. */
  sendTest(): Promise<void>;
  /** Closes the connection and wipes the credential it holds. */
  close(): void;
}

/** Errors with fixed wording: safe to store as a sink's last error and show to the person. */
export class SinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SinkError';
  }
}

/** A sink's last error as the person sees it: our own wording, or a Node error code; never a receiver's reply. */
export function sinkErrorMessage(e: unknown): string {
  if (e instanceof SinkError) return e.message;
  const vk = e as { name?: unknown; code?: unknown } | null;
  if (vk?.name === 'VkError' && typeof vk.code === 'string') return `cannot start: ${vk.code}`;
  const code = typeof vk?.code === 'string' && /^[A-Z0-9_]{2,40}$/.test(vk.code) ? vk.code : undefined;
  return code === undefined ? 'delivery failed' : `delivery failed (${code})`;
}

/** What a receiver's connection error means, in fixed words with the system's code. */
export function networkError(e: unknown): SinkError {
  const code = (e as { code?: unknown } | null)?.code;
  const known = typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) ? code : undefined;
  if (known === 'ECONNREFUSED') return new SinkError('the receiver refused the connection (ECONNREFUSED)');
  if (known === 'ETIMEDOUT' || known === 'ESOCKETTIMEDOUT') return new SinkError(`the receiver did not answer in time (${known})`);
  if (known !== undefined && /CERT|SELF_SIGNED|TLS|SSL|ERR_SSL/.test(known)) return new SinkError(`the receiver's TLS certificate was not accepted (${known})`);
  return new SinkError(known === undefined ? 'the connection to the receiver failed' : `the connection to the receiver failed (${known})`);
}
