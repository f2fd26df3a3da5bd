/**
 * Attack 36 and 37 against the real daemon: editing one audit row in the middle makes
 * `valetkey audit verify` name that row; a stored secret is nowhere in the database, its WAL or the log.
 */
import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keychainAvailability, tempHome } from '../../helpers/temp-home.js';
import { PASSPHRASE, runCli, startDaemonProcess } from '../../helpers/cli.js';

const keychain = keychainAvailability();
const SECRET = 'tamper-test-secret-XYZ-98231';

describe.skipIf(keychain.skip)(`tamper evidence ${keychain.reason}`, () => {
  const home = tempHome();
  afterAll(() => home.cleanup());

  it('stores no plaintext, and names an edited audit row', async () => {
    expect((await runCli(home.dir, ['init'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
    const daemon = await startDaemonProcess(home.dir);
    try {
      expect((await runCli(home.dir, ['vault', 'create', 'Ops'], { input: `${PASSPHRASE}\n` })).code).toBe(0);
      for (let i = 0; i < 6; i++) {
        const r = await runCli(home.dir, ['item', 'add', 'Ops', `Key ${i}`, '--kind', 'api_key'], { input: `${PASSPHRASE}\n${SECRET}-${i}\n` });
        expect(r.code, r.stderr).toBe(0);
      }
      const reveal = await runCli(home.dir, ['item', 'get', 'Ops', 'Key 3', '--field', 'api_key', '--reason', 'rotate it'], { input: `${PASSPHRASE}\n` });
      expect(reveal.stdout.trim()).toBe(`${SECRET}-3`);

      // No plaintext in the database file, its WAL and shared memory, or the daemon's output.
      for (const f of readdirSync(home.dir).filter((n) => n.startsWith('valetkey.db'))) {
        expect(readFileSync(join(home.dir, f)).includes(Buffer.from(SECRET)), f).toBe(false);
      }
      expect(daemon.output()).not.toContain(SECRET);

      expect((await runCli(home.dir, ['audit', 'verify'])).code).toBe(0);
      const db = new BetterSqlite3(join(home.dir, 'valetkey.db'));
      const { n } = db.prepare('SELECT count(*) AS n FROM audit').get() as { n: number };
      const middle = Math.floor(n / 2);
      db.prepare("UPDATE audit SET reason = 'nothing to see here' WHERE seq = ?").run(middle);
      db.close();

      const broken = await runCli(home.dir, ['audit', 'verify']);
      expect(broken.code).toBe(7);
      expect(broken.stdout).toContain(`row ${middle}`);
    } finally {
      await daemon.stop();
    }
  });
});
