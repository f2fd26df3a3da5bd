/**
 * Browser grants: when a grant method answers grant_required, ask the person to confirm (the
 * "Confirm it's you" dialog opens a grant session in an HttpOnly cookie), then try once more.
 * In Electron a click in the window is the proof, so nothing is asked there.
 */
import { ADMIN_METHODS, type AdminMethod } from '../../shared/admin-api.js';
import { toVkError } from './vk-error.js';

/** Resolves true once a grant session is open, false if the person cancelled. */
export type AskForGrant = () => Promise<boolean>;

export async function callWithGrant(method: AdminMethod, call: () => Promise<unknown>, ask: AskForGrant): Promise<unknown> {
  try {
    return await call();
  } catch (e) {
    const error = toVkError(e);
    if (ADMIN_METHODS[method] !== 'grant' || error.code !== 'grant_required') throw error;
    if (!(await ask())) throw error;
  }
  try {
    return await call();
  } catch (e) {
    throw toVkError(e);
  }
}
