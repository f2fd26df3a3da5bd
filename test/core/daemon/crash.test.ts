/**
 * kill -9 of the daemon while entries and audit rows are being written: after a restart the
 * database is intact, the audit chain verifies, and no acknowledged write is missing.
 */
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readAdminInfo } from '../../../src/core/daemon/admin-info.js';
import { createHttpAdminClient } from '../../../src/shared/admin-client/http-admin-client.js';
import { keychainAvailability, tempHome } from '../../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess } from '../../helpers/cli.js';

const keychain = keychainAvailability();

function client(home: string) {
  const info = readAdminInfo(`${home}/admin.json`);
  return createHttpAdminClient({ socketPath: info.socketPath, sessionSecret: info.sessionSecret });
}

describe.skipIf(keychain.skip)(`crash safety ${keychain.reason}`, () => {
  const home = tempHome();
  afterAll(() => home.cleanup());

  it('loses no acknowledged write across kill -9', async () => {
    expect((await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    const daemon = await startDaemonProcess(home.dir);
    const admin = client(home.dir);
    const { session } = await admin.openGrantSession({ passphrase: PASSPHRASE, minutes: 5 });
    const vault = await admin.createVault({ grant: { session }, vault: { name: 'Crash' } });

    const acked: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const e = await admin.createEntry({ grant: { session }, vaultId: vault.id, entry: { title: `w${w}-${i}`, kind: 'api_key', fields: { apiKey: `k-${w}-${i}` } } });
          acked.push(e.id);
        } catch {
          return; // the engine died mid-request: that write was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acked.length < 150) await new Promise((r) => setTimeout(r, 10));
    await daemon.stop('SIGKILL');
    stop = true;
    await Promise.all(writers);

    const db = new BetterSqlite3(`${home.dir}/valetkey.db`);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();

    const restarted = await startDaemonProcess(home.dir);
    try {
      const after = client(home.dir);
      const ids = new Set((await after.listEntries({ vaultId: vault.id })).map((e) => e.id));
      const missing = acked.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      const verification = await after.verifyAudit({});
      expect(verification.ok, verification.problem).toBe(true);
      const created = await after.queryAudit({ action: 'entry.create', limit: 500 });
      const audited = new Set(created.rows.map((r) => r.entryId));
      expect(acked.filter((id) => !audited.has(id))).toEqual([]);
    } finally {
      expect(await restarted.stop()).toBe(0);
    }
  });
});
