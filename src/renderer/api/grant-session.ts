/**
 * The browser dashboard's grant session: `POST /dashboard/grant` with the admin passphrase opens
 * one (the engine keeps it, bound to this tab's secret), `POST /dashboard/grant/close` ends it.
 * The page knows only when it ends, to show "Lock grants".
 */
import { postJson } from './browser-transport.js';
import { forgetTab } from './tab-session.js';

export const GRANT_MINUTES = 15;

type Listener = () => void;
let expiresAt: number | undefined;
const listeners = new Set<Listener>();

function set(value: number | undefined): void {
  expiresAt = value;
  for (const l of listeners) l();
}

/** When the open grant session ends (ms since the epoch), or undefined; for useSyncExternalStore. */
export function grantExpiry(): number | undefined {
  if (expiresAt !== undefined && expiresAt <= Date.now()) expiresAt = undefined;
  return expiresAt;
}

export function subscribeGrantExpiry(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The lengths a person can pick for a grant session (the engine allows at most 15 minutes). */
export const GRANT_MINUTE_CHOICES = [5, 10, GRANT_MINUTES] as const;

export async function openGrant(passphrase: string, minutes: number = GRANT_MINUTES): Promise<void> {
  const value = (await postJson('/dashboard/grant', { passphrase, minutes })) as { expiresAt?: unknown } | undefined;
  const reported = typeof value?.expiresAt === 'string' ? Date.parse(value.expiresAt) : Number.NaN;
  set(Number.isNaN(reported) ? Date.now() + minutes * 60_000 : reported);
}

export async function closeGrant(): Promise<void> {
  try {
    await postJson('/dashboard/grant/close', {});
  } finally {
    set(undefined);
  }
}

/** Ends the browser's dashboard session (and its grant); the page then needs a new login link. */
export async function signOut(): Promise<void> {
  try {
    await postJson('/dashboard/logout', {});
  } finally {
    forgetTab();
    set(undefined);
  }
}

/** Forget the session locally (the engine ends every grant session when it locks). */
export function forgetGrant(): void {
  set(undefined);
}

type Prompter = () => Promise<boolean>;
let prompter: Prompter | undefined;
let pending: Promise<boolean> | undefined;

/** The "Confirm it's you" dialog registers itself here; the returned function unregisters it. */
export function setGrantPrompter(p: Prompter): () => void {
  prompter = p;
  return () => {
    if (prompter === p) prompter = undefined;
  };
}

/** Asks once even when several calls need a grant at the same moment. */
export function askForGrant(): Promise<boolean> {
  if (prompter === undefined) return Promise.resolve(false);
  pending ??= prompter().finally(() => {
    pending = undefined;
  });
  return pending;
}
