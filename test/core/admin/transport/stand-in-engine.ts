/**
 * A stand-in for the engine's AdminDispatcher and event source: the real engine is written
 * elsewhere. It records every call and answers with what it was given, so a test can see that
 * the method name, the params and the CallContext crossed the transport intact.
 */
import type { AdminDispatcher, AdminEventSource, AdminMethod, CallContext } from '../../../../src/shared/admin-api.js';
import type { AdminEvent } from '../../../../src/shared/model.js';

export interface RecordedCall {
  readonly method: AdminMethod;
  readonly params: unknown;
  readonly ctx: CallContext;
}

export class StandInEngine {
  readonly calls: RecordedCall[] = [];
  /** When set, every call throws this instead of answering. */
  failWith: unknown = undefined;
  private readonly listeners = new Set<(e: AdminEvent) => void>();

  readonly dispatch: AdminDispatcher = async (method, params, ctx) => {
    this.calls.push({ method, params, ctx });
    if (this.failWith !== undefined) throw this.failWith;
    return { method, params };
  };

  readonly events: AdminEventSource = (listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  emit(e: AdminEvent): void {
    for (const listener of this.listeners) listener(e);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
