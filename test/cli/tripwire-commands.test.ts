/**
 * `valetkey token pause|resume` and `valetkey alerts` against a real daemon: pausing needs no
 * passphrase (it only makes things safer), resuming does, and alerts list what tripped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type DaemonProcess } from '../helpers/cli.js';
import { keychainAvailability, tempHome } from '../helpers/temp-home.js';
import { asPerson, createToken, ok, setUpEngine } from './agent-cli-helpers.js';

const keychain = keychainAvailability();

describe.skipIf(keychain.skip)(`valetkey token pause, resume and alerts ${keychain.reason}`, { timeout: 240_000 }, () => {
  const home = tempHome('vk-trip-');
  let daemon: DaemonProcess;

  beforeAll(async () => {
    daemon = await setUpEngine(home.dir);
  });
  afterAll(async () => {
    expect(await daemon.stop()).toBe(0);
    home.cleanup();
  });

  const paused = async (id: string): Promise<boolean | undefined> => {
    const list = JSON.parse((await ok(home.dir, ['token', 'list', '--json'])).stdout) as { id: string; tripwires?: { paused: boolean } }[];
    return list.find((t) => t.id === id)?.tripwires?.paused;
  };

  it('pauses without a passphrase, resumes only with one', async () => {
    const { id } = await createToken(home.dir, 'cli-bot', ['--vault', 'Accounting', '--read']);
    expect((await ok(home.dir, ['token', 'pause', id])).stdout).toContain(`Paused token ${id}`);
    expect(await paused(id)).toBe(true);
    const refused = await runCli(home.dir, ['token', 'resume', id], { input: 'not the passphrase\n' });
    expect(refused.code).toBe(5);
    expect(await paused(id)).toBe(true);
    await ok(home.dir, ['token', 'resume', id], asPerson);
    expect(await paused(id)).toBe(false);
  });

  it('lists alerts (none yet) as text and JSON', async () => {
    expect((await ok(home.dir, ['alerts'])).stdout.trim()).toBe('No alerts.');
    expect(JSON.parse((await ok(home.dir, ['alerts', '--json'])).stdout)).toEqual([]);
    expect((await runCli(home.dir, ['alerts', '--limit', 'lots'])).code).toBe(2);
  });
});
