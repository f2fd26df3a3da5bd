/**
 * docs/security.md attack 88: unlocking a key-file engine is a passphrase check like a grant, so
 * wrong unlock passphrases count against the same per-caller limit. A process on the admin socket
 * guessing at the key file is refused (audited); a fresh dashboard tab and the window still unlock.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInProcessClient } from '../../src/core/admin/transport/in-process.js';
import type { AdminApi } from '../../src/shared/admin-api.js';
import { TEST_PASSPHRASE } from '../helpers/engine-fixture.js';
import { openDashboard, type DashboardFixture } from '../core/dashboard/dashboard-fixture.js';

let f: DashboardFixture;
let socket: AdminApi;
let window: AdminApi;
beforeEach(async () => {
  f = await openDashboard();
  socket = createInProcessClient(f.t.service.dispatch, { via: 'socket', personPresent: false });
  window = createInProcessClient(f.t.service.dispatch, { via: 'ipc', personPresent: true });
});
afterEach(async () => {
  await f.close();
});

async function code(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (e: unknown) => String((e as { code?: unknown }).code),
  );
}

async function unlockRefusals(): Promise<(string | null)[]> {
  const rows = (await f.t.admin.queryAudit({ action: 'admin.grant_refused', limit: 500 })).rows;
  return [...rows].reverse().map((r) => r.errorCode);
}

describe('unlock passphrases are limited per caller (88)', () => {
  it('attack 88: wrong unlock passphrases on the admin socket are slowed, then refused even when right; a fresh tab and the window still unlock', async () => {
    expect(f.t.engine.keyStore.kind).toBe('key_file');
    await window.lock({});
    const tries: string[] = [];
    for (let i = 0; i < 7; i++) tries.push(await code(socket.unlock({ passphrase: `unlock guess ${i}` })));
    expect(tries).toEqual([...Array(5).fill('passphrase_invalid'), 'rate_limited', 'rate_limited']);
    // Blocked means blocked: the key file is not even tried with the right passphrase from there.
    expect(await code(socket.unlock({ passphrase: TEST_PASSPHRASE }))).toBe('rate_limited');
    expect(f.t.engine.status().locked).toBe(true);
    expect(await unlockRefusals()).toEqual([...Array(5).fill('passphrase_invalid'), ...Array(3).fill('rate_limited')]);

    // A fresh dashboard tab is another caller: the person unlocks from there.
    const tab = await f.login();
    const unlocked = await f.post('/admin/v1/unlock', { passphrase: TEST_PASSPHRASE }, { tab });
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.text).not.toContain(TEST_PASSPHRASE);
    expect(f.t.engine.status().locked).toBe(false);

    // And the desktop window, locked again.
    await window.lock({});
    expect(await code(window.unlock({ passphrase: TEST_PASSPHRASE }))).toBe('ok');
    expect(f.t.engine.status().locked).toBe(false);
  });

  it('attack 88: unlock guesses and grant guesses share one count per caller', async () => {
    await window.lock({});
    for (let i = 0; i < 3; i++) expect(await code(socket.unlock({ passphrase: `unlock guess ${i}` }))).toBe('passphrase_invalid');
    await window.unlock({ passphrase: TEST_PASSPHRASE });
    for (let i = 0; i < 2; i++) expect(await code(socket.openGrantSession({ passphrase: `grant guess ${i}`, minutes: 5 }))).toBe('passphrase_invalid');
    expect(await code(socket.openGrantSession({ passphrase: TEST_PASSPHRASE, minutes: 5 }))).toBe('rate_limited');
  });
});
