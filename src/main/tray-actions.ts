/**
 * What a tray click does, as data. Lock and pause only make things safer; Resume is a grant and
 * goes through the same person caller as a click in the window (person-caller.ts): a click in our
 * own tray menu is a person, as a click in our own window is (docs/security.md, "Granting is for
 * people"), and with Touch ID required on macOS it asks for that first.
 */
import type { AdminMethod } from '../shared/admin-api.js';
import { parseDesktopSettings, type DesktopSettings } from './desktop-settings.js';
import type { PromptTarget } from './prompt-target.js';
import type { TrayAction } from './tray-menu.js';

export type ShellEffect =
  | { readonly kind: 'admin'; readonly method: Extract<AdminMethod, 'lock' | 'pauseAgents' | 'resumeAgents'> }
  /** Show the main window, at a renderer route when given (hash without '#'). */
  | { readonly kind: 'show-main'; readonly route?: string }
  | { readonly kind: 'show-prompt'; readonly target: PromptTarget }
  | { readonly kind: 'settings'; readonly next: DesktopSettings }
  | { readonly kind: 'quit' };

/** The renderer's Approvals page. */
export const APPROVALS_ROUTE = '/approvals';

export function trayActionEffect(action: TrayAction, settings: DesktopSettings): ShellEffect {
  switch (action.type) {
    case 'open':
      return { kind: 'show-main' };
    case 'open-approvals':
      return { kind: 'show-main', route: APPROVALS_ROUTE };
    case 'open-approval':
      return { kind: 'show-prompt', target: { kind: 'approval', id: action.approvalId } };
    case 'open-device-request':
      return { kind: 'show-prompt', target: { kind: 'device', id: action.requestId } };
    case 'lock':
      return { kind: 'admin', method: 'lock' };
    case 'pause':
      return { kind: 'admin', method: 'pauseAgents' };
    case 'resume':
      return { kind: 'admin', method: 'resumeAgents' };
    case 'settings':
      return { kind: 'settings', next: parseDesktopSettings({ ...settings, ...action.change }) };
    case 'quit':
      return { kind: 'quit' };
  }
}
