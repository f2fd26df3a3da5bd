/**
 * The engine's staged uploads on a real data directory: the 64 MiB limit while streaming, at most
 * 8 held, deletion on close and of stale leftovers, and the `stageUpload` admin method the
 * desktop app's drag and drop uses (base64 over IPC).
 */
import { chmodSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_PENDING_UPLOADS, UploadStore } from '../../../src/core/import/upload-store.js';
import { uploadName } from '../../../src/core/import/upload-name.js';
import { UPLOAD_LIMITS } from '../../../src/shared/model.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { tempHome } from '../../helpers/temp-home.js';
import { fixture } from './import-fixtures.js';

const MiB = 1024 * 1024;

async function* zeros(total: number): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(MiB);
  for (let sent = 0; sent < total; sent += MiB) yield total - sent >= MiB ? chunk : chunk.subarray(0, total - sent);
}

describe('UploadStore', () => {
  let home: ReturnType<typeof tempHome>;
  const dir = () => join(home.dir, 'uploads');
  beforeEach(() => {
    home = tempHome('vk-upl-');
  });
  afterEach(() => home.cleanup());

  it('takes exactly 64 MiB, refuses one byte more while streaming and keeps nothing of it', async () => {
    const store = new UploadStore(dir());
    const full = await store.stage('big.json', zeros(UPLOAD_LIMITS.maxBytes));
    expect(full.bytes).toBe(UPLOAD_LIMITS.maxBytes);
    await expect(store.stage('bigger.json', zeros(UPLOAD_LIMITS.maxBytes + 1))).rejects.toMatchObject({ code: 'upload_too_large' });
    expect(readdirSync(dir())).toHaveLength(1);
    await expect(store.stageBytes('b', new Uint8Array(UPLOAD_LIMITS.maxBytes + 1))).rejects.toMatchObject({ code: 'upload_too_large' });
    store.close();
    expect(readdirSync(dir())).toEqual([]);
  });

  it('holds at most 8: the oldest goes first', async () => {
    const store = new UploadStore(dir());
    const ids: string[] = [];
    for (let i = 0; i <= MAX_PENDING_UPLOADS; i++) ids.push((await store.stageBytes(`f${i}.csv`, new Uint8Array([i + 1]))).uploadId);
    expect(store.size).toBe(MAX_PENDING_UPLOADS);
    expect(readdirSync(dir())).toHaveLength(MAX_PENDING_UPLOADS);
    expect(() => store.source(ids[0] ?? '')).toThrow(expect.objectContaining({ code: 'upload_not_found' }));
    expect([...store.source(ids[1] ?? '').bytes]).toEqual([2]);
    expect(store.source(ids[1] ?? '').name).toBe('f1.csv');
    store.close();
  });

  it('knows no made-up id, and a discarded one is gone', async () => {
    const store = new UploadStore(dir());
    const { uploadId } = await store.stageBytes('x.json', new Uint8Array([1]));
    expect(() => store.source('A'.repeat(43))).toThrow(expect.objectContaining({ code: 'upload_not_found' }));
    expect(store.discard(uploadId)).toBe(true);
    expect(store.discard(uploadId)).toBe(false);
    expect(() => store.source(uploadId)).toThrow(expect.objectContaining({ code: 'upload_not_found' }));
  });

  it('removes stale leftovers of a stopped engine at start, but not fresh ones or other files', () => {
    mkdirSync(dir(), { mode: 0o700 });
    const old = join(dir(), 'a'.repeat(32) + '.upload');
    const fresh = join(dir(), 'b'.repeat(32) + '.upload');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'x');
    writeFileSync(join(dir(), 'notes.txt'), 'x');
    const past = (Date.now() - UPLOAD_LIMITS.ttlMs - 60_000) / 1000;
    utimesSync(old, past, past);
    new UploadStore(dir());
    expect(readdirSync(dir()).sort()).toEqual(['b'.repeat(32) + '.upload', 'notes.txt']);
  });

  it('tightens an uploads directory left open to others', async () => {
    mkdirSync(dir());
    chmodSync(dir(), 0o755);
    const store = new UploadStore(dir());
    await store.stageBytes('x.json', new Uint8Array([1]));
    expect(statSync(dir()).mode & 0o777).toBe(0o700);
    store.close();
  });

  it('shows file names without paths, controls or direction overrides', () => {
    expect(uploadName('C:\\Users\\me\\export.csv')).toBe('export.csv');
    expect(uploadName('../../x\u202e.json')).toBe('x.json');
    expect(() => uploadName('dir/')).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    expect(uploadName('a'.repeat(500))).toHaveLength(200);
  });
});

describe('stageUpload (the desktop app’s drag and drop)', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openTestEngine();
  });
  afterEach(async () => {
    await t.close();
  });

  it('stages base64 bytes that previewImport and runImport then read by id', async () => {
    const bytes = fixture('chrome.csv');
    const staged = await t.admin.stageUpload({ name: 'Chrome Passwords.csv', contentBase64: Buffer.from(bytes).toString('base64') });
    expect(staged).toMatchObject({ name: 'Chrome Passwords.csv', bytes: bytes.length });
    const preview = await t.admin.previewImport({ grant: t.grant, upload: staged.uploadId, newVaultName: 'Chrome' });
    expect(preview).toMatchObject({ file: 'Chrome Passwords.csv', format: 'chrome_csv' });
    const result = await t.admin.runImport({ grant: t.grant, upload: staged.uploadId, newVaultName: 'Chrome' });
    expect(result.imported).toBe(preview.toImport);
    expect(readdirSync(join(t.dir, 'uploads'))).toEqual([]);
    const rows = (await t.admin.queryAudit({ action: 'vault.import_upload', limit: 5 })).rows;
    expect(rows.map((r) => r.detail)).toEqual([{ via: 'in-process', bytes: bytes.length }]);
  });

  it('refuses what is not plain base64, and more than 64 MiB of it', async () => {
    for (const contentBase64 of ['not base64!', 'QUJD=', 'QU\nJD']) {
      await expect(t.admin.stageUpload({ name: 'x.csv', contentBase64 })).rejects.toMatchObject({ code: 'invalid_request' });
    }
    const tooMuch = 'A'.repeat(Math.ceil(UPLOAD_LIMITS.maxBytes / 3) * 4 + 4);
    await expect(t.admin.stageUpload({ name: 'x.csv', contentBase64: tooMuch })).rejects.toMatchObject({ code: 'upload_too_large' });
  });

  it('imports from exactly one of `path` and `upload`', async () => {
    const staged = await t.admin.stageUpload({ name: 'x.csv', contentBase64: Buffer.from(fixture('chrome.csv')).toString('base64') });
    await expect(t.admin.previewImport({ grant: t.grant, newVaultName: 'N' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(t.admin.previewImport({ grant: t.grant, newVaultName: 'N', upload: staged.uploadId, path: '/etc/hostname' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('a failed import keeps the upload for another try; the wrong file stays a named error', async () => {
    const staged = await t.admin.stageUpload({ name: 'broken.json', contentBase64: Buffer.from('{"items": [').toString('base64') });
    const attempt = t.admin.runImport({ grant: t.grant, upload: staged.uploadId, newVaultName: 'N' });
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(attempt).rejects.toThrow(/broken\.json/);
    expect(readdirSync(join(t.dir, 'uploads'))).toHaveLength(1);
    expect(await t.admin.listVaults({})).toEqual([]);
  });
});
