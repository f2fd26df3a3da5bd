/**
 * The main process's side of the pipe to the engine's utility process. Messages:
 *   main → engine  { kind: 'admin', id, method, params, ctx }
 *   engine → main  { kind: 'result', id, result: AdminResult }   one per request
 *                  { kind: 'event', event: AdminEvent }           pushed at any time
 * Anything else from the engine is ignored. Plain data only, so it is tested without Electron.
 */
import { isAdminResult, type AdminDispatcher, type AdminEventSource, type AdminMethod, type AdminResult, type CallContext } from '../shared/admin-api.js';
import type { AdminEvent } from '../shared/model.js';
import { VkError, fromWire } from '../shared/errors.js';

export interface EngineRequest {
  readonly kind: 'admin';
  readonly id: number;
  readonly method: AdminMethod;
  readonly params: unknown;
  readonly ctx: CallContext;
}

export type EngineMessage =
  | { readonly kind: 'result'; readonly id: number; readonly result: AdminResult<unknown> }
  | { readonly kind: 'event'; readonly event: AdminEvent };

/** What Electron's UtilityProcess offers (and what a test fake needs). */
export interface EnginePort {
  postMessage(message: EngineRequest): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

export interface EngineClient {
  readonly dispatch: AdminDispatcher;
  readonly events: AdminEventSource;
  /** The engine is gone: every waiting call fails with engine_unreachable, later ones too. */
  close(): void;
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: VkError) => void;
}

export function createEngineClient(port: EnginePort): EngineClient {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(e: AdminEvent) => void>();
  let nextId = 1;
  let closed = false;

  port.on('message', (message) => receive(message, pending, listeners));

  const dispatch: AdminDispatcher = (method, params, ctx) => {
    if (closed) return Promise.reject(new VkError('engine_unreachable'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      port.postMessage({ kind: 'admin', id, method, params, ctx });
    });
  };

  const events: AdminEventSource = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  const close = (): void => {
    closed = true;
    for (const waiting of pending.values()) waiting.reject(new VkError('engine_unreachable'));
    pending.clear();
  };

  return { dispatch, events, close };
}

function receive(message: unknown, pending: Map<number, Pending>, listeners: ReadonlySet<(e: AdminEvent) => void>): void {
  if (!isEngineMessage(message)) return;
  if (message.kind === 'event') {
    for (const listener of listeners) listener(message.event);
    return;
  }
  const waiting = pending.get(message.id);
  if (waiting === undefined) return;
  pending.delete(message.id);
  if (message.result.ok) waiting.resolve(message.result.value);
  else waiting.reject(fromWire(message.result.error));
}

function isEngineMessage(value: unknown): value is EngineMessage {
  if (typeof value !== 'object' || value === null) return false;
  const m = value as { kind?: unknown; id?: unknown; result?: unknown; event?: unknown };
  if (m.kind === 'event') return typeof m.event === 'object' && m.event !== null;
  return m.kind === 'result' && typeof m.id === 'number' && isAdminResult(m.result);
}
