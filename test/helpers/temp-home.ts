import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh data directory under the system temp dir; short, because socket paths are limited. */
export function tempHome(prefix = 'vk-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** True when a Secret Service can be reached (tests run under dbus-run-session in `npm test`). */
export const hasDbus = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);

/**
 * Keychain tests must not quietly skip in CI: `npm test` sets VALETKEY_REQUIRE_KEYCHAIN=1, so a
 * missing D-Bus session there is a failure. Elsewhere (a bare `npx vitest`) they skip, saying why.
 */
export function keychainAvailability(): { skip: boolean; reason: string } {
  if (hasDbus) return { skip: false, reason: '' };
  if (process.env.VALETKEY_REQUIRE_KEYCHAIN === '1') {
    throw new Error('VALETKEY_REQUIRE_KEYCHAIN=1 but no D-Bus session: run the tests with `npm test`');
  }
  return { skip: true, reason: 'no D-Bus session (run `npm test` for the real Secret Service)' };
}
