/**
 * The admin API over Electron IPC, generated from ADMIN_METHODS: one `invoke` handler per method,
 * no per-method code. Every call is answered `{ok, value}` or `{ok: false, error}` (never a thrown
 * Error, whose custom fields IPC would drop), and the sender is checked before anything else.
 */
import type { AdminDispatcher, AdminMethod, AdminResult, CallContext } from '../shared/admin-api.js';
import { ADMIN_METHODS, adminChannel, failedResult } from '../shared/admin-api.js';
import { VkError, isVkError } from '../shared/errors.js';
import { isTrustedSender } from './ipc-sender.js';
import type { GrantGate } from './touch-id.js';

export { adminChannel };

/** The part of Electron's IpcMainInvokeEvent the bridge reads. */
export interface InvokeEventLike {
  /** Null once the frame navigated away or was destroyed. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export type InvokeHandler = (event: InvokeEventLike, ...args: unknown[]) => Promise<AdminResult<unknown>>;

/** The part of Electron's ipcMain the bridge uses, so tests can hand in a plain object. */
export interface IpcMainLike {
  handle(channel: string, listener: InvokeHandler): void;
  removeHandler(channel: string): void;
}

/**
 * A verified call from our own top frame is a person acting in the app's own window: the one
 * transport allowed to say so (admin-api.ts, CallContext).
 */
export const PERSON_CONTEXT: CallContext = Object.freeze({ via: 'ipc', personPresent: true });

export function adminMethodNames(): readonly AdminMethod[] {
  return Object.keys(ADMIN_METHODS) as AdminMethod[];
}

/** Lets every call through: the default when no Touch ID (or other) check is configured. */
const OPEN_GATE: GrantGate = async () => {};

/**
 * Registers every admin method; the returned function removes them again. `gate` runs after the
 * sender check and before a grant-class call is forwarded (Touch ID on macOS, touch-id.ts).
 */
export function registerAdminIpc(ipc: IpcMainLike, dispatch: AdminDispatcher, appOrigin: string, gate: GrantGate = OPEN_GATE): () => void {
  const methods = adminMethodNames();
  for (const method of methods) {
    ipc.handle(adminChannel(method), (event, ...args) => answer(method, event, args, { dispatch, appOrigin, gate }));
  }
  return () => {
    for (const method of methods) ipc.removeHandler(adminChannel(method));
  };
}

interface BridgeDeps {
  readonly dispatch: AdminDispatcher;
  readonly appOrigin: string;
  readonly gate: GrantGate;
}

async function answer(method: AdminMethod, event: InvokeEventLike, args: readonly unknown[], deps: BridgeDeps): Promise<AdminResult<unknown>> {
  if (!senderIsTrusted(event, deps.appOrigin)) return failedResult(new VkError('forbidden_origin'));
  const [params] = args;
  if (args.length !== 1 || !isPlainObject(params)) return failedResult(new VkError('invalid_request'));
  try {
    if (ADMIN_METHODS[method] === 'grant') await deps.gate(method, params);
    return { ok: true, value: await deps.dispatch(method, params, PERSON_CONTEXT) };
  } catch (e) {
    if (isVkError(e)) return failedResult(e);
    // A bug, not a user error: report its kind only, since a message could carry anything.
    console.error(`valetkey: admin method ${method} failed (${e instanceof Error ? e.name : typeof e})`);
    return failedResult(new VkError('internal_error'));
  }
}

function senderIsTrusted(event: InvokeEventLike, appOrigin: string): boolean {
  const frame = event.senderFrame;
  if (frame === null) return false;
  return isTrustedSender(frame.url, frame.parent === null, appOrigin);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
