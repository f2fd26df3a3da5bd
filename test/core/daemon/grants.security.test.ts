/**
 * docs/security.md "Granting is for people", attack 41: a process of the same OS user holding the data
 * directory, the admin socket and its session secret, and the CLI — but not the passphrase — tries
 * to grant. Everything is refused, and every attempt leaves an audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAdminInfo } from '../../../src/core/daemon/admin-info.js';
import { createHttpAdminClient } from '../../../src/shared/admin-client/http-admin-client.js';
import type { AdminApi } from '../../../src/shared/admin-api.js';
import { keychainAvailability, tempHome } from '../../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess, type DaemonProcess } from '../../helpers/cli.js';

const keychain = keychainAvailability();

describe.skipIf(keychain.skip)(`grants need a person ${keychain.reason}`, () => {
  const home = tempHome();
  let daemon: DaemonProcess;
  let attacker: AdminApi;

  beforeAll(async () => {
    expect((await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    daemon = await startDaemonProcess(home.dir);
    expect((await runCli(home.dir, ['vault', 'create', 'Payroll', '--approval', 'every'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    // The attacker reads what any process of this user can read: admin.json with the socket and session secret.
    const info = readAdminInfo(`${home.dir}/admin.json`);
    attacker = createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
  });

  afterAll(async () => {
    await daemon.stop();
    home.cleanup();
  });

  async function refusals(): Promise<number> {
    const page = await attacker.queryAudit({ action: 'admin.grant_refused', limit: 500 });
    return page.rows.length;
  }

  it('cannot lower a vault’s approval setting over the socket, with no proof, a guessed passphrase or a forged session', async () => {
    const before = await refusals();
    const attempts = [
      attacker.updateVault({ vaultId: 'Payroll', changes: { approval: { mode: 'none' } } }),
      attacker.updateVault({ vaultId: 'Payroll', changes: { approval: { mode: 'none' } }, grant: { passphrase: 'password123456' } }),
      attacker.updateVault({ vaultId: 'Payroll', changes: { approval: { mode: 'none' } }, grant: { session: 'forged-session-id' } }),
    ];
    const results = await Promise.allSettled(attempts);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'fulfilled'))).toEqual([
      'grant_required',
      'passphrase_invalid',
      'grant_required',
    ]);
    const vaults = await attacker.listVaults({});
    expect(vaults.find((v) => v.name === 'Payroll')?.approval).toEqual({ mode: 'every_access' });
    expect(await refusals()).toBe(before + 3);
  });

  it('cannot reveal, add or delete secrets, nor resume paused agents', async () => {
    const before = await refusals();
    await attacker.pauseAgents({});
    const results = await Promise.allSettled([
      attacker.getEntry({ vaultId: 'Payroll', entryId: 'anything' }),
      attacker.createEntry({ vaultId: 'Payroll', entry: { title: 'x', kind: 'note', fields: {} } }),
      attacker.deleteVault({ vaultId: 'Payroll' }),
      attacker.resumeAgents({}),
    ]);
    expect(results.every((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'grant_required')).toBe(true);
    expect((await attacker.status({})).agentsPaused).toBe(true);
    expect(await refusals()).toBe(before + 4);
  });

  it('cannot unlock a locked engine with the CLI, and is rate-limited when guessing', async () => {
    await attacker.lock({});
    const before = await refusals();
    const codes: (number | null)[] = [];
    for (const guess of ['password1234', 'letmein12345', 'qwertyuiop12']) {
      codes.push((await runCli(home.dir, ['unlock'], { input: `${guess}\n` })).code);
    }
    expect(codes).toEqual([5, 5, 5]);
    expect((await attacker.status({})).locked).toBe(true);
    expect(await refusals()).toBe(before + 3);
    // Only the person's passphrase opens it again.
    expect((await runCli(home.dir, ['unlock'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
  });

  it('the session secret alone still lets a reader look and make things safer', async () => {
    expect((await attacker.listVaults({})).length).toBe(1);
    expect((await attacker.lock({})).locked).toBe(true);
  });
});
