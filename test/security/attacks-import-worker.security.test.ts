/**
 * docs/security.md attack 87: an import file built to make the parser spin or exhaust memory costs
 * its own worker thread, not the engine. The hostile file is a real Bitwarden JSON export of
 * nearly five million empty items, just under the JSON value cap: seconds of parsing for the
 * worker. A status call over the dashboard's real HTTP listener, sent meanwhile, is answered first.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportService } from '../../src/core/import/import-service.js';
import { parseInWorker } from '../../src/core/import/import-runner.js';
import { MAX_JSON_VALUES } from '../../src/core/import/json-text.js';
import { openDashboard, type DashboardFixture } from '../core/dashboard/dashboard-fixture.js';
import { fixture, KDBX_PASSWORD, kdbx4, tempFiles } from '../core/import/import-fixtures.js';

let f: DashboardFixture;
let files: ReturnType<typeof tempFiles>;
beforeEach(async () => {
  f = await openDashboard();
  files = tempFiles();
});
afterEach(async () => {
  await f.close();
  files.cleanup();
});

/** `{"items":[{},{},…]}` with as many items as the cap lets through. */
function slowExport(): string {
  const items = MAX_JSON_VALUES - 10;
  return `{"items":[${'{},'.repeat(items - 1)}{}]}`;
}

describe('imports cannot take the engine down (87)', () => {
  it('attack 87: a file that keeps the parser busy past the time limit → import_invalid from its worker, while the engine answers status first and survives', async () => {
    const path = files.write('slow.json', slowExport());
    const tab = await f.login();
    const { engine } = f.t;
    // The engine's own import service with a one-second limit, so the test does not wait the shipped two minutes.
    const service = new ImportService(engine.vaults, engine.db, engine.uploads, { maxHeapMb: 2048, timeLimitMs: 1000 });
    const order: string[] = [];
    const importing = service.run({ path, newVaultName: 'Hostile' }).then(
      () => order.push('import done'),
      (e: unknown) => {
        order.push('import refused');
        return e;
      },
    );
    for (let i = 0; i < 3; i++) {
      const status = await f.post('/admin/v1/status', {}, { tab });
      expect(status.status, status.text).toBe(200);
      order.push('status');
    }
    const refusal = await importing;
    expect(order).toEqual(['status', 'status', 'status', 'import refused']);
    expect(refusal).toMatchObject({ code: 'import_invalid', status: 400 });
    expect(String((refusal as Error).message)).toContain('took too long to open');
    // Nothing was written, and the same engine still imports an ordinary file.
    expect((await f.t.admin.listVaults({})).map((v) => v.name)).not.toContain('Hostile');
    const fine = files.write('bitwarden.json', fixture('bitwarden.json'));
    const done = await f.t.person.runImport({ path: fine, newVaultName: 'Fine' });
    expect(done.imported).toBeGreaterThan(0);
  });

  it('attack 87: more JSON values than the cap → import_invalid before JSON.parse builds any of them', async () => {
    const path = files.write('bomb.json', `[${'{},'.repeat(MAX_JSON_VALUES)}{}]`);
    await expect(f.t.person.runImport({ path, newVaultName: 'Bomb' })).rejects.toMatchObject({ code: 'import_invalid', message: expect.stringContaining('more than 5,000,000 values') as unknown });
    expect((await f.t.admin.status({})).locked).toBe(false);
  });

  it('attack 87: a KDBX that takes longer than the wall-time limit → its worker is ended and import_invalid says so', async () => {
    const bytes = await kdbx4('argon2id');
    // A limit no worker can meet: the time path, without a test that waits for the real one.
    const slow = parseInWorker({ name: 'slow.kdbx', bytes, kdbxPassword: KDBX_PASSWORD }, undefined, { maxHeapMb: 512, timeLimitMs: 1 });
    await expect(slow).rejects.toMatchObject({ code: 'import_invalid', message: expect.stringContaining('took too long to open') as unknown });
    // The control: the same file, under the shipped limits, opens.
    const parsed = await parseInWorker({ name: 'fine.kdbx', bytes, kdbxPassword: KDBX_PASSWORD }, undefined);
    expect(parsed.items.length).toBeGreaterThan(0);
  });
});
