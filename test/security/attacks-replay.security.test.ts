/**
 * docs/security.md attacks 106–108 against a real daemon process (keychain mode): the agent saves a
 * vault's or an entry's row while it is wide and writes it back after the person narrowed it. The
 * sealed bytes are genuine (their AEAD binds the old version they carry); the audit log records the
 * newer version (integrity/versions-in-log.ts), so the old row grants nothing until the person saves
 * it again.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VaultInfo } from '../../src/shared/model.js';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';
import { PROCESS_SETUP_TIMEOUT_MS } from '../helpers/cli.js';
import { keychainAvailability } from '../helpers/temp-home.js';
import { expectTamperShownOnce, openOpsDaemon, type OpsDaemon } from './ops-daemon-fixture.js';

const keychain = keychainAvailability();
const SECRET = 'vksec-REPLAY-ops-8c41e07b2d';
const ENROLLMENT_GRANT = 'urn:valetkey:params:oauth:grant-type:enrollment';

type Row = Record<string, unknown>;

describe.skipIf(keychain.skip)(`attacks: one vault or entry row put back from an earlier copy ${keychain.reason}`, () => {
  let d: OpsDaemon;
  let grant: { readonly session: string };

  beforeAll(async () => {
    d = await openOpsDaemon(SECRET);
    await openSession();
  }, PROCESS_SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await d?.close();
  });

  async function openSession(): Promise<void> {
    grant = { session: (await d.person.openGrantSession({ passphrase: d.fx.grant.passphrase, minutes: 15 })).session };
  }

  async function restart(): Promise<void> {
    await d.restart();
    await openSession();
  }

  /** A vault of its own per attack, holding one secret, and an agent enrolled to read it. */
  async function vaultWithAgent(name: string, hosts: readonly string[] = []): Promise<{ vault: VaultInfo; entryId: string; read: () => Promise<AgentResponse> }> {
    const vault = await d.person.createVault({ grant, vault: { name } });
    const entry = await d.person.createEntry({ grant, vaultId: vault.id, entry: { title: 'Key', kind: 'api_key', fields: { apiKey: SECRET }, allowedHosts: [...hosts] } });
    const created = await d.person.createToken({ grant, token: { name: `${name}-bot`, vaults: [vault.id], actions: ['read'], lifespanSeconds: 3600 } });
    const agent = await AgentClient.create(d.fx.tcp);
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT_GRANT, enrollment_code: created.enrollmentCode, client_id: `${name}-bot` } });
    expect(res.status, res.text).toBe(200);
    const token = res.body.access_token as string;
    const read = () => agent.call('POST', '/v1/resolve', { token, json: { refs: [`vk://${name}/Key/api_key`], reason: 'replay suite' } });
    return { vault, entryId: entry.id, read };
  }

  function withDb<T>(run: (db: BetterSqlite3.Database) => T): T {
    const db = new BetterSqlite3(join(d.fx.home, 'valetkey.db'));
    try {
      return run(db);
    } finally {
      db.close();
    }
  }

  /** What the agent does: keep a copy of one row, and later write its sealed bytes and version back. */
  const saveRow = (table: 'vaults' | 'entries', id: string): Row => withDb((db) => db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id) as Row);
  const putBackVault = (row: Row): void => {
    withDb((db) => db.prepare('UPDATE vaults SET sealed_meta = @sealed_meta, version = @version, updated_at = @updated_at WHERE id = @id').run(row));
  };
  const putBackEntry = (row: Row): void => {
    withDb((db) => db.prepare('UPDATE entries SET sealed_title = @sealed_title, sealed_fields = @sealed_fields, version = @version, updated_at = @updated_at WHERE id = @id').run(row));
  };

  function expectTampered(res: AgentResponse): void {
    expect([res.status, res.body?.error], res.text).toEqual([403, 'tamper_detected']);
    expect(res.text).not.toContain(SECRET);
  }

  it('attack 106: the agent saves a vault row while it says "never ask", the person sets "every access", the agent writes the old row back and the engine restarts → reads refused (tamper_detected, audited once, shown) until the person saves the vault again', async () => {
    const { vault, read } = await vaultWithAgent('Replay-vault');
    expect(JSON.stringify((await read()).body)).toContain(SECRET);
    const wide = saveRow('vaults', vault.id);
    await d.person.updateVault({ grant, vaultId: vault.id, changes: { approval: { mode: 'every_access' } } });
    const logged = await d.person.queryAudit({ action: 'vault.update', vaultId: vault.id, limit: 5 });
    expect(logged.rows.map((r) => (r.detail as { version?: number }).version)).toEqual([2]);
    await d.daemon.stop();
    putBackVault(wide);
    await restart();

    // The old row opens (its seal is genuine) and says "never ask"; the log says version 2.
    expect((await d.person.listVaults({})).find((v) => v.id === vault.id)?.approval).toEqual({ mode: 'none' });
    for (let i = 0; i < 2; i += 1) expectTampered(await read());
    const refusal = await read();
    expect(refusal.body?.error_description).toContain('save it again');
    await expectTamperShownOnce(d.person, 'vaults', vault.id);

    // The person's re-save writes above the log's version, and the vault answers again.
    await d.person.updateVault({ grant, vaultId: vault.id, changes: { approval: { mode: 'none' } } });
    const healed = await read();
    expect(healed.status, healed.text).toBe(200);
    expect(JSON.stringify(healed.body)).toContain(SECRET);
  });

  it('attack 107: the agent saves an entry row while it allows a second host, the person removes the host, the agent writes the old row back and the engine restarts → reads refused (tamper_detected, audited once, shown), the entry lists without hosts, until the person saves it again', async () => {
    const { vault, entryId, read } = await vaultWithAgent('Replay-entry', ['api.example.com', 'collector.example.net']);
    expect((await read()).status).toBe(200);
    const wide = saveRow('entries', entryId);
    await d.person.updateEntry({ grant, vaultId: vault.id, entryId, changes: { allowedHosts: ['api.example.com'] } });
    await d.daemon.stop();
    putBackEntry(wide);
    await restart();

    for (let i = 0; i < 2; i += 1) expectTampered(await read());
    const listed = (await d.person.listEntries({ vaultId: vault.id })).find((e) => e.id === entryId);
    expect(listed?.allowedHosts).toEqual([]);
    await expectTamperShownOnce(d.person, 'entries', entryId);

    // The person sees the put-back values to check them, and saving heals the entry.
    const seen = await d.person.getEntry({ grant, vaultId: vault.id, entryId });
    expect(seen.allowedHosts).toEqual(['api.example.com', 'collector.example.net']);
    const saved = await d.person.updateEntry({ grant, vaultId: vault.id, entryId, changes: { allowedHosts: ['api.example.com'] } });
    expect(saved.version).toBe(3);
    expect((await read()).status).toBe(200);
  });

  it('attack 108: the agent writes an old vault row back while the engine runs (no restart), or puts back a vault the person deleted (with its entry) → reads refused (tamper_detected, audited once, shown); nothing is released', async () => {
    const { vault, read } = await vaultWithAgent('Replay-live');
    expect((await read()).status).toBe(200);
    const wide = saveRow('vaults', vault.id);
    await d.person.updateVault({ grant, vaultId: vault.id, changes: { approval: { mode: 'every_access' } } });
    putBackVault(wide);

    for (let i = 0; i < 2; i += 1) expectTampered(await read());
    await expectTamperShownOnce(d.person, 'vaults', vault.id);

    // A deleted vault comes back with its entry: the log says it was deleted, even after a restart.
    const gone = await vaultWithAgent('Replay-gone');
    const vaultRow = saveRow('vaults', gone.vault.id);
    const entryRow = saveRow('entries', gone.entryId);
    await d.person.deleteVault({ grant, vaultId: gone.vault.id });
    expect((await gone.read()).status).not.toBe(200);
    await d.daemon.stop();
    insertRow('vaults', vaultRow);
    insertRow('entries', entryRow);
    await restart();
    for (let i = 0; i < 2; i += 1) expectTampered(await gone.read());
    expect((await gone.read()).body?.error_description).toContain('delete it again');
    await expectTamperShownOnce(d.person, 'vaults', gone.vault.id);
  });

  function insertRow(table: 'vaults' | 'entries', row: Row): void {
    const columns = Object.keys(row);
    withDb((db) => db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row));
  }
});
