/**
 * The browser dashboard's transport (headless mode): same-origin POSTs of JSON to
 * `/admin/v1/<method>` and `/dashboard/...`, authenticated by the HttpOnly session cookie the
 * server set at login (the page never sees a secret of its own), and events over EventSource.
 */
import { ADMIN_HTTP, type AdminMethod } from '../../shared/admin-api.js';
import { VkError, fromWire } from '../../shared/errors.js';
import type { AdminEvent } from '../../shared/model.js';
import { ADMIN_EVENT_TYPES } from '../lib/event-types.js';

type Answer = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

function asAnswer(body: unknown): Answer | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as { ok?: unknown; value?: unknown; error?: unknown };
  if (b.ok === true) return { ok: true, value: b.value };
  if (b.ok === false) return { ok: false, error: b.error };
  // A bare `{error, error_description}` (a route's own refusal) is an error too.
  if (typeof b.error === 'string') return { ok: false, error: body };
  return undefined;
}

/** POSTs JSON and returns the answer's value; throws the engine's VkError on `{ok:false}`. */
export async function postJson(path: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  } catch {
    throw new VkError('engine_unreachable');
  }
  const answer = asAnswer(await res.json().catch(() => undefined));
  if (answer?.ok === true) return answer.value;
  if (answer?.ok === false) throw fromWire(answer.error);
  if (res.ok) return undefined;
  throw new VkError(res.status === 401 ? 'unauthorized' : 'internal_error');
}

export function httpAdminCall(method: AdminMethod, params: unknown): Promise<unknown> {
  return postJson(`${ADMIN_HTTP.prefix}${method}`, params);
}

export type EventListener = (event: AdminEvent) => void;

/**
 * One EventSource shared by every subscriber, opened with the first and closed with the last.
 * EventSource reconnects by itself; `onReconnect` tells screens to reload what they may have missed.
 */
export function createBrowserEvents(): { subscribe(listener: EventListener): () => void; onReconnect(listener: () => void): () => void } {
  const listeners = new Set<EventListener>();
  const reconnectListeners = new Set<() => void>();
  let source: EventSource | undefined;
  let dropped = false;

  const open = (): EventSource => {
    const es = new EventSource(ADMIN_HTTP.events, { withCredentials: true });
    for (const type of ADMIN_EVENT_TYPES) {
      es.addEventListener(type, (message) => {
        const event = parseEvent(type, (message as MessageEvent<string>).data);
        if (event !== undefined) for (const l of listeners) l(event);
      });
    }
    es.addEventListener('error', () => {
      dropped = true;
    });
    es.addEventListener('open', () => {
      if (!dropped) return;
      dropped = false;
      for (const l of reconnectListeners) l();
    });
    return es;
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      source ??= open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          source?.close();
          source = undefined;
        }
      };
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

function parseEvent(type: string, data: string): AdminEvent | undefined {
  try {
    const event = JSON.parse(data) as AdminEvent;
    return event.type === type ? event : undefined;
  } catch {
    return undefined;
  }
}
