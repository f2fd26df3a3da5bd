/**
 * docs/security.md attack 60: resuming paused agents is a grant, so an agent that writes
 * `agents_paused = false` into the database while the engine is stopped finds them still paused.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { PassphraseFileKeyStore } from '../../src/core/keys/passphrase-file-key-store.js';
import { TEST_PASSPHRASE, openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

let t: TestEngine | undefined;
let reopened: Engine | undefined;
afterEach(async () => {
  await reopened?.close();
  await t?.close();
});

describe('protected settings edited in the database', () => {
  it('attack 60: the agent un-pauses agents in the settings table → still paused after restart; tamper_detected audited once and shown', async () => {
    t = await openTestEngine();
    t.engine.setPaused(true);
    await t.engine.close();
    const db = new BetterSqlite3(join(t.dir, 'valetkey.db'));
    db.prepare("UPDATE settings SET value = 'false' WHERE key = 'agents_paused'").run();
    db.close();

    const keyStore = new PassphraseFileKeyStore(join(t.dir, 'keys.vkkey'), { opslimit: sodium.crypto_pwhash_OPSLIMIT_INTERACTIVE, memlimit: sodium.crypto_pwhash_MEMLIMIT_INTERACTIVE });
    reopened = await Engine.open({ dataDir: t.dir, keyStore });
    await reopened.unlock(TEST_PASSPHRASE);
    expect(reopened.agentsPaused).toBe(true);
    expect(reopened.status().tampered?.map((r) => `${r.table}:${r.rowId}`)).toEqual(['settings:agents_paused']);
    await reopened.ledger.flush();
    expect(reopened.ledger.query({ action: 'integrity.tamper_detected' }).rows.map((r) => [r.errorCode, r.detail])).toEqual([
      ['tamper_detected', { table: 'settings', rowId: 'agents_paused' }],
    ]);
    // The person resumes them: a fresh MAC, and the next start believes it.
    reopened.setPaused(false);
    await reopened.close();
    reopened = await Engine.open({ dataDir: t.dir, keyStore });
    await reopened.unlock(TEST_PASSPHRASE);
    expect(reopened.agentsPaused).toBe(false);
    expect(reopened.status().tampered).toEqual([]);
  });
});
