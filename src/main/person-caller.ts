/**
 * Calls the main process makes to the engine for a person: a click in our tray menu or on one of
 * our notifications' buttons. Electron delivers those only to this process, from the OS, so they
 * carry the same context as a verified click in our window, and they pass the same grant gate.
 */
import { ADMIN_METHODS, type AdminDispatcher, type AdminMethod, type CallContext } from '../shared/admin-api.js';
import { PERSON_CONTEXT } from './ipc-bridge.js';
import type { GrantGate } from './touch-id.js';

/** Calls the shell makes on its own (auto-lock): no person behind them, so never a grant. */
export const SHELL_CONTEXT: CallContext = Object.freeze({ via: 'ipc', personPresent: false });

export type PersonCaller = (method: AdminMethod, params: Record<string, unknown>) => Promise<unknown>;

export function createPersonCaller(dispatch: AdminDispatcher, gate: GrantGate): PersonCaller {
  return async (method, params) => {
    if (ADMIN_METHODS[method] === 'grant') await gate(method, params);
    return dispatch(method, params, PERSON_CONTEXT);
  };
}
