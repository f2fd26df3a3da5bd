/**
 * The page's admin API over IPC: a proxy generated from ADMIN_METHODS over one `invoke` function,
 * so no method is written by hand and a new method in the contract appears here by itself.
 *
 * Each method hands the page the main process's AdminResult as it is: plain data crosses the
 * contextBridge intact, while a thrown error would arrive as nothing but its message. The page
 * turns `{ok: false, error}` back into a VkError (renderer/api/bridge-call.ts).
 */
import type { AdminMethod, AdminResult, AdminResultApi } from '../shared/admin-api.js';
import { ADMIN_METHODS, adminChannel, failedResult, isAdminResult } from '../shared/admin-api.js';
import { VkError } from '../shared/errors.js';

export type Invoke = (channel: string, params: unknown) => Promise<unknown>;

export function createAdminProxy(invoke: Invoke): AdminResultApi {
  const api: Partial<Record<AdminMethod, (params: unknown) => Promise<AdminResult<unknown>>>> = {};
  for (const method of Object.keys(ADMIN_METHODS) as AdminMethod[]) {
    api[method] = (params: unknown) => call(invoke, method, params);
  }
  return Object.freeze(api as AdminResultApi);
}

async function call(invoke: Invoke, method: AdminMethod, params: unknown): Promise<AdminResult<unknown>> {
  let answer: unknown;
  try {
    answer = await invoke(adminChannel(method), params ?? {});
  } catch {
    // Electron's own rejection (no handler for the channel) carries only text: nothing to pass on.
    return failedResult(new VkError('internal_error'));
  }
  return isAdminResult(answer) ? answer : failedResult(new VkError('internal_error'));
}
