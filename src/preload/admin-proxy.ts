/**
 * The renderer's AdminApi: a proxy generated from ADMIN_METHODS over one `invoke` function, so
 * no method is written by hand and a new method in the contract appears here by itself.
 */
import type { AdminApi, AdminMethod, AdminResult } from '../shared/admin-api.js';
import { ADMIN_METHODS, adminChannel } from '../shared/admin-api.js';
import { VkError, fromWire } from '../shared/errors.js';

export type Invoke = (channel: string, params: unknown) => Promise<unknown>;

export function createAdminProxy(invoke: Invoke): AdminApi {
  const api: Record<string, (params: unknown) => Promise<unknown>> = {};
  for (const method of Object.keys(ADMIN_METHODS) as AdminMethod[]) {
    api[method] = async (params: unknown) => unwrap(await invoke(adminChannel(method), params ?? {}));
  }
  return Object.freeze(api) as unknown as AdminApi;
}

function unwrap(answer: unknown): unknown {
  const result = answer as Partial<AdminResult<unknown>> | null;
  if (typeof result !== 'object' || result === null || typeof result.ok !== 'boolean') {
    throw toBridgeError(new VkError('internal_error'));
  }
  if (result.ok) return (result as { value: unknown }).value;
  throw toBridgeError(fromWire((result as { error: unknown }).error));
}

/**
 * contextBridge copies only an Error's message into the page, dropping `code`; so the code rides
 * in the message as "code: description" and the page reads it back with `errorCodeOf`.
 */
export function toBridgeError(error: VkError): Error {
  return new Error(`${error.code}: ${error.message}`);
}
