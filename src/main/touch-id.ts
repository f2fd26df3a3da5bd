/**
 * On macOS the person may ask for Touch ID on top of the click for every grant (docs/security.md):
 * a click can be synthesised by anything with accessibility rights, a fingerprint cannot. The
 * gate runs in the main process before a grant-class call is forwarded to the engine.
 */
import { ADMIN_METHODS, type AdminMethod } from '../shared/admin-api.js';
import { VkError } from '../shared/errors.js';
import { loosensSettings, type DesktopSettings } from './desktop-settings.js';

/** The part of Electron's systemPreferences the gate uses. */
export interface TouchIdPort {
  canPromptTouchID(): boolean;
  promptTouchID(reason: string): Promise<void>;
}

/** Throws VkError to refuse; resolves to let the call through. */
export type GrantGate = (method: AdminMethod, params: unknown) => Promise<void>;

export function requiresTouchId(method: AdminMethod, settings: DesktopSettings, platform: NodeJS.Platform, params?: unknown): boolean {
  if (platform !== 'darwin' || !settings.requireTouchIdForGrants) return false;
  if (ADMIN_METHODS[method] !== 'grant') return false;
  // Saying no widens nothing; asking for a finger to deny would only slow the person down.
  return !isDenial(method, params);
}

export function isDenial(method: AdminMethod, params: unknown): boolean {
  if (typeof params !== 'object' || params === null) return false;
  const decision = (params as { decision?: unknown }).decision;
  return (method === 'decideApproval' || method === 'decideDeviceRequest') && decision === 'deny';
}

/** Completes macOS's sentence "Valetkey is trying to …". Never includes the params: they may hold secrets. */
export function touchIdReason(method: AdminMethod): string {
  switch (method) {
    case 'decideApproval':
      return 'let an agent use a secret';
    case 'decideDeviceRequest':
      return 'give an agent a key';
    case 'createToken':
      return 'create a key for an agent';
    case 'getEntry':
    case 'totpCode':
      return 'show a secret';
    case 'resumeAgents':
      return 'resume agents';
    case 'exportRecoveryKit':
      return 'export your recovery kit';
    default:
      return 'change who can reach your secrets';
  }
}

export interface GrantGateDeps {
  readonly platform: NodeJS.Platform;
  readonly settings: () => DesktopSettings;
  readonly touchId: TouchIdPort | undefined;
}

/**
 * Fails closed: with the setting on and no way to prompt (lid closed, no sensor), grants are
 * refused until Touch ID is back or the person turns the setting off in the tray.
 */
export function createGrantGate(deps: GrantGateDeps): GrantGate {
  return async (method, params) => {
    if (!requiresTouchId(method, deps.settings(), deps.platform, params)) return;
    await confirmWithTouchId(deps.touchId, touchIdReason(method));
  };
}

export async function confirmWithTouchId(touchId: TouchIdPort | undefined, reason: string): Promise<void> {
  if (touchId === undefined || !touchId.canPromptTouchID()) {
    throw new VkError('grant_required', 'Touch ID is required for this and cannot be used right now');
  }
  try {
    await touchId.promptTouchID(reason);
  } catch {
    throw new VkError('grant_required', 'Touch ID was not confirmed');
  }
}

/**
 * A settings change that protects less (desktop-settings.ts, loosensSettings) needs Touch ID
 * while grants do, and fails closed the same way: a click alone must not switch the check off.
 * A Mac without a working sensor turns it off by editing desktop-settings.json (README).
 */
export async function confirmSettingsChange(
  current: DesktopSettings,
  next: DesktopSettings,
  platform: NodeJS.Platform,
  touchId: TouchIdPort | undefined,
): Promise<void> {
  if (platform !== 'darwin' || !current.requireTouchIdForGrants || !loosensSettings(current, next)) return;
  await confirmWithTouchId(touchId, 'change how Valetkey locks and confirms');
}
