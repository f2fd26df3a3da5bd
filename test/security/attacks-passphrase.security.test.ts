/**
 * docs/security.md attack 50: wrong passphrases from one caller slow that caller only. A process
 * holding the admin session secret guesses until it is refused; the person can still open a
 * grant from a fresh dashboard tab and from the desktop window. Every refusal is audited.
 * Attack 88: unlocking a key-file engine is a passphrase check too, counted against the same limit.
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
  // The admin socket's caller (no person vouched for) and the app's own window (sender checked).
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

async function refusals(): Promise<(string | null)[]> {
  const rows = (await f.t.admin.queryAudit({ action: 'admin.grant_refused', limit: 500 })).rows;
  return [...rows].reverse().map((r) => r.errorCode);
}

describe('passphrase failures are limited per caller (50)', () => {
  it('attack 50: a caller guessing on the admin socket is slowed and then refused, even with the right passphrase; a fresh tab and the window still open grants', async () => {
    const tries: string[] = [];
    for (let i = 0; i < 7; i++) tries.push(await code(socket.openGrantSession({ passphrase: `guess number ${i}`, minutes: 5 })));
    expect(tries).toEqual([...Array(5).fill('passphrase_invalid'), 'rate_limited', 'rate_limited']);
    // Blocked means blocked: the right passphrase is not even tried from there.
    expect(await code(socket.openGrantSession({ passphrase: TEST_PASSPHRASE, minutes: 5 }))).toBe('rate_limited');
    expect(await refusals()).toEqual([...Array(5).fill('passphrase_invalid'), 'rate_limited', 'rate_limited', 'rate_limited']);

    // The person, from a fresh dashboard tab: not locked out.
    const tab = await f.login();
    const opened = await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 5 }, { tab });
    expect(opened.status, opened.text).toBe(200);
    expect(opened.text).not.toContain(TEST_PASSPHRASE);
    // And from the desktop window.
    expect(await code(window.openGrantSession({ passphrase: TEST_PASSPHRASE, minutes: 5 }))).toBe('ok');
  });

  it('attack 50: a tab guessing is slowed on its own; another tab is not', async () => {
    const guesser = await f.login();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await f.post('/dashboard/grant', { passphrase: `wrong guess ${i}`, minutes: 5 }, { tab: guesser })).status);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    const other = await f.login();
    expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 5 }, { tab: other })).status).toBe(200);
    expect((await f.post('/dashboard/grant', { passphrase: TEST_PASSPHRASE, minutes: 5 }, { tab: guesser })).status).toBe(429);
  });

  it('attack 50: rotating through new callers meets a ceiling across callers, but the window can still unlock grants', async () => {
    const results: number[] = [];
    for (let i = 0; i < 31; i++) {
      const tab = await f.login();
      results.push((await f.post('/dashboard/grant', { passphrase: `rotating guess ${i}`, minutes: 5 }, { tab })).status);
    }
    expect(results.slice(0, 30).every((s) => s === 403)).toBe(true);
    expect(results[30]).toBe(429);
    expect(await code(window.openGrantSession({ passphrase: TEST_PASSPHRASE, minutes: 5 }))).toBe('ok');
  });
});

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
    expect(await refusals()).toEqual([...Array(5).fill('passphrase_invalid'), ...Array(3).fill('rate_limited')]);

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
