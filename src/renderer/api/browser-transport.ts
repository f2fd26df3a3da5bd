/**
 * The browser dashboard's transport (headless mode): same-origin POSTs of JSON to
 * `/admin/v1/<method>` and `/dashboard/...`, and the event stream read with fetch, all
 * authenticated by this tab's own secret in a header (tab-session.ts), never by a cookie.
 */
import { ADMIN_HTTP, isAdminResult, unwrapResult, type AdminMethod, type AdminResult } from '../../shared/admin-api.js';
import { VkError, type WireError } from '../../shared/errors.js';
import type { AdminEvent } from '../../shared/model.js';
import { ADMIN_EVENT_TYPES } from '../lib/event-types.js';
import { tabHeaders } from './tab-session.js';

/** The engine's AdminResult; a bare `{error, error_description}` (a route's own refusal) is an error too. */
function asAnswer(body: unknown): AdminResult<unknown> | undefined {
  if (isAdminResult(body)) return body;
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') return { ok: false, error: body as WireError };
  return undefined;
}

/** POSTs JSON and returns the answer's value; throws the engine's VkError on `{ok:false}`. */
export async function postJson(path: string, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      credentials: 'omit',
      cache: 'no-store',
      headers: { ...tabHeaders(), 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
  } catch {
    throw new VkError('engine_unreachable');
  }
  const answer = asAnswer(await res.json().catch(() => undefined));
  if (answer !== undefined) return unwrapResult(answer);
  if (res.ok) return undefined;
  throw new VkError(res.status === 401 ? 'unauthorized' : 'internal_error');
}

export function httpAdminCall(method: AdminMethod, params: unknown): Promise<unknown> {
  return postJson(`${ADMIN_HTTP.prefix}${method}`, params);
}

export type EventListener = (event: AdminEvent) => void;

/** Wait before reopening a dropped stream, so a stopped engine is not hammered. */
const RECONNECT_MS = 2000;

/**
 * One event stream shared by every subscriber, opened with the first and closed with the last.
 * EventSource cannot send the tab's header, so this reads the SSE stream with fetch and reopens it
 * when it drops; `onReconnect` tells screens to reload what they may have missed.
 */
export function createBrowserEvents(): { subscribe(listener: EventListener): () => void; onReconnect(listener: () => void): () => void } {
  const listeners = new Set<EventListener>();
  const reconnectListeners = new Set<() => void>();
  let stop: AbortController | undefined;

  const dispatch = (type: string, data: string): void => {
    const event = parseEvent(type, data);
    if (event !== undefined) for (const l of listeners) l(event);
  };

  const run = async (signal: AbortSignal): Promise<void> => {
    let dropped = false;
    while (!signal.aborted) {
      const opened = await readStream(signal, dispatch, () => {
        if (!dropped) return;
        dropped = false;
        for (const l of reconnectListeners) l();
      });
      if (signal.aborted) return;
      dropped = dropped || opened;
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
    }
  };

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (stop === undefined) {
        stop = new AbortController();
        void run(stop.signal);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          stop?.abort();
          stop = undefined;
        }
      };
    },
    onReconnect(listener) {
      reconnectListeners.add(listener);
      return () => reconnectListeners.delete(listener);
    },
  };
}

/** Reads one SSE connection until it ends; true if it was open at some point. */
async function readStream(signal: AbortSignal, dispatch: (type: string, data: string) => void, onOpen: () => void): Promise<boolean> {
  let res: Response;
  try {
    res = await fetch(ADMIN_HTTP.events, { credentials: 'omit', cache: 'no-store', headers: tabHeaders(), signal });
  } catch {
    return false;
  }
  if (!res.ok || res.body === null) return false;
  onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const type = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (type !== undefined && data !== undefined && (ADMIN_EVENT_TYPES as readonly string[]).includes(type)) dispatch(type, data);
        end = buffer.indexOf('\n\n');
      }
    }
  } catch {
    // Dropped or aborted: the caller decides whether to reopen.
  }
  return true;
}

function parseEvent(type: string, data: string): AdminEvent | undefined {
  try {
    const event = JSON.parse(data) as AdminEvent;
    return event.type === type ? event : undefined;
  } catch {
    return undefined;
  }
}
