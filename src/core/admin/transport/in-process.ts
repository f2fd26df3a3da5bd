/**
 * The admin API called inside the engine's own process (the headless daemon's bootstrap, tests).
 * Params and results are copied with structuredClone, and unexpected errors become
 * internal_error, so an in-process caller sees what a remote one would: no shared mutable
 * objects, no internals.
 */
import type { AdminApi, AdminDispatcher, CallContext } from '../../../shared/admin-api.js';
import { adminClientFromCall } from '../../../shared/admin-client/admin-client-from-call.js';
import { toVkError } from '../../net/safe-error.js';

const IN_PROCESS: CallContext = Object.freeze({ via: 'in-process', personPresent: false });

export function createInProcessClient(dispatch: AdminDispatcher, ctx: CallContext = IN_PROCESS): AdminApi {
  return adminClientFromCall(async (method, params) => {
    try {
      const value = await dispatch(method, structuredClone(params ?? {}), ctx);
      return structuredClone(value);
    } catch (e) {
      throw toVkError(e);
    }
  });
}
