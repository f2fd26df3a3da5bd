/**
 * Every admin client is the same shape: one generic `call(method, params)` spread over the
 * methods of ADMIN_METHODS. Building it from the table (not by hand) means a new method in the
 * contract reaches every transport without anyone writing a line.
 */
import { ADMIN_METHODS, type AdminApi, type AdminMethod } from '../admin-api.js';

export type AdminCall = (method: AdminMethod, params: unknown) => Promise<unknown>;

export function adminClientFromCall(call: AdminCall): AdminApi {
  const client: Record<string, (params: unknown) => Promise<unknown>> = {};
  for (const method of Object.keys(ADMIN_METHODS) as AdminMethod[]) {
    client[method] = (params: unknown) => call(method, params);
  }
  // Sound because the loop covers exactly the keys of AdminApi (ADMIN_METHODS `satisfies` it).
  return Object.freeze(client) as unknown as AdminApi;
}
