/**
 * Calls through the Electron bridge (`window.valetkey.admin`): each method answers an AdminResult,
 * and a failure becomes the engine's VkError again, from its structured `{error, error_description}`.
 */
import { isAdminResult, unwrapResult, type AdminMethod, type AdminResultApi } from '../../shared/admin-api.js';
import { VkError } from '../../shared/errors.js';

export function bridgeCall(admin: AdminResultApi): (method: AdminMethod, params: unknown) => Promise<unknown> {
  return async (method, params) => {
    // One generic call over every method: the contract's per-method types are checked where AdminApi is used.
    const call = admin[method] as (p: unknown) => Promise<unknown>;
    const answer = await call(params ?? {}).catch(() => undefined);
    if (!isAdminResult(answer)) throw new VkError('internal_error');
    return unwrapResult(answer);
  };
}
