/**
 * `POST /dashboard/upload` under attack, over raw HTTP against a real engine: the tab secret
 * and the page's own Origin are required, only application/octet-stream with a Content-Length
 * of at most 64 MiB is taken, an upload id imports once, a file name cannot steer where the file
 * lands, and the browser can never make the engine import a path of its choosing.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS } from '../../../src/shared/model.js';
import { rawRequest, type AgentResponse } from '../../helpers/agent-client.js';
import { fixture, FIXTURES } from '../import/import-fixtures.js';
import { openDashboard, type DashboardFixture } from './dashboard-fixture.js';
import { TEST_PASSPHRASE } from '../../helpers/engine-fixture.js';

let f: DashboardFixture;
let tab: string;
beforeEach(async () => {
  f = await openDashboard();
  tab = await f.login();
});
afterEach(async () => {
  await f.close();
});

interface UploadOptions {
  readonly tab?: string | null;
  readonly origin?: string | null;
  readonly contentType?: string | null;
  readonly name?: string | null;
  readonly headers?: readonly string[];
}

function upload(body: Buffer | undefined, o: UploadOptions = {}): Promise<AgentResponse> {
  const headers = ['Host', `127.0.0.1:${f.server.port}`, ...(o.headers ?? [])];
  const add = (name: string, value: string | null | undefined, fallback: string) => {
    if (value !== null) headers.push(name, value ?? fallback);
  };
  add('Origin', o.origin, f.server.origin);
  add('x-valetkey-tab', o.tab, tab);
  add('Content-Type', o.contentType, 'application/octet-stream');
  add('x-valetkey-filename', o.name, 'bitwarden.json');
  return rawRequest({ via: 'tcp', port: f.server.port }, { method: 'POST', path: '/dashboard/upload', headers, setHost: false, ...(body ? { body } : {}) });
}

const uploadsDir = () => join(f.t.dir, 'uploads');
const staged = () => {
  try {
    return readdirSync(uploadsDir());
  } catch {
    return [];
  }
};
const bitwarden = () => Buffer.from(fixture('bitwarden.json'));

async function importRows(): Promise<string[]> {
  const page = await f.t.admin.queryAudit({ action: 'vault.import_upload', limit: 50 });
  return page.rows.map((r) => r.outcome);
}

describe('who may upload', () => {
  it('needs the tab secret: none, a made-up one, or the real one as a cookie, is 401 and nothing is stored', async () => {
    expect((await upload(bitwarden(), { tab: null })).status).toBe(401);
    expect((await upload(bitwarden(), { tab: 'A'.repeat(43) })).status).toBe(401);
    expect((await upload(bitwarden(), { tab: null, headers: ['Cookie', `vk_session=${tab}`] })).status).toBe(401);
    expect(staged()).toEqual([]);
    expect(await importRows()).toEqual([]);
  });

  it('refuses a foreign Origin, `null`, and no Origin at all with 403 before the body is read', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${f.server.port + 1}`]) {
      const res = await upload(bitwarden(), { origin });
      expect(res.status, origin).toBe(403);
      expect(res.body.error.error).toBe('forbidden_origin');
    }
    expect((await upload(bitwarden(), { origin: null })).status).toBe(403);
    expect(res403NoCors(await upload(bitwarden(), { origin: 'https://evil.example' }))).toBe(true);
    expect(staged()).toEqual([]);
  });

  it('answers only POST', async () => {
    const res = await f.get('/dashboard/upload', { tab });
    expect(res.status).toBe(405);
  });
});

function res403NoCors(res: AgentResponse): boolean {
  return res.status === 403 && Object.keys(res.headers).every((h) => !h.startsWith('access-control-'));
}

describe('what may be uploaded', () => {
  it('takes application/octet-stream only: JSON, form posts and text are 415', async () => {
    for (const type of ['application/json', 'multipart/form-data; boundary=x', 'text/plain', 'application/x-www-form-urlencoded']) {
      const res = await upload(bitwarden(), { contentType: type });
      expect(res.status, type).toBe(415);
    }
    expect((await upload(bitwarden(), { contentType: null })).status).toBe(415);
    expect(staged()).toEqual([]);
  });

  it('refuses a declared body over 64 MiB with 413, closing the connection, before storing a byte', async () => {
    const res = await upload(undefined, { headers: ['Content-Length', String(UPLOAD_LIMITS.maxBytes + 1)] });
    expect(res.status).toBe(413);
    expect(res.body.error.error).toBe('upload_too_large');
    expect(res.headers.connection).toBe('close');
    expect(staged()).toEqual([]);
  });

  it('wants a Content-Length (no open-ended chunked bodies) and a file name', async () => {
    expect((await upload(undefined, { headers: ['Transfer-Encoding', 'chunked'] })).status).toBe(400);
    expect((await upload(bitwarden(), { name: null })).status).toBe(400);
    expect((await upload(bitwarden(), { name: '%E0%A4%A' })).status).toBe(400);
    expect((await upload(bitwarden(), { name: '..' })).status).toBe(400);
    expect(staged()).toEqual([]);
  });
});

describe('a staged upload', () => {
  it('lands as a 0600 file with a random name in a 0700 directory, audited with its size only', async () => {
    const res = await upload(bitwarden());
    expect(res.status).toBe(200);
    const value = res.body.value as { uploadId: string; name: string; bytes: number; expiresAt: string };
    expect(value.name).toBe('bitwarden.json');
    expect(value.bytes).toBe(bitwarden().length);
    expect(Buffer.from(value.uploadId, 'base64url').length).toBe(32);
    expect(Date.parse(value.expiresAt) - Date.now()).toBeGreaterThan(UPLOAD_LIMITS.ttlMs - 60_000);
    expect(statSync(uploadsDir()).mode & 0o777).toBe(0o700);
    const files = staged();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{32}\.upload$/);
    expect(statSync(join(uploadsDir(), files[0] ?? '')).mode & 0o777).toBe(0o600);
    const rows = (await f.t.admin.queryAudit({ action: 'vault.import_upload', limit: 5 })).rows;
    expect(rows.map((r) => r.detail)).toEqual([{ via: 'http', bytes: bitwarden().length }]);
  });

  it('cannot be steered by its name: `../`, absolute and Windows paths only name the file shown', async () => {
    const names = ['..%2F..%2F..%2Fescaped.json', '%2Ftmp%2Fescaped.json', '..%5C..%5Cescaped.json', 'a%00b%0A%E2%80%AEnosj.json'];
    const shown: string[] = [];
    for (const name of names) {
      const res = await upload(bitwarden(), { name });
      expect(res.status, name).toBe(200);
      shown.push(res.body.value.name);
    }
    expect(shown).toEqual(['escaped.json', 'escaped.json', 'escaped.json', 'abnosj.json']);
    expect(staged().every((n) => /^[0-9a-f]{32}\.upload$/.test(n))).toBe(true);
    expect(readdirSync(join(f.t.dir, '..')).filter((n) => n.includes('escaped'))).toEqual([]);
    expect(readdirSync(f.t.dir).filter((n) => n.includes('escaped'))).toEqual([]);
  });

  it('previews any number of times, imports once, and is deleted by the import', async () => {
    const { uploadId } = (await upload(bitwarden())).body.value as { uploadId: string };
    const grant = { passphrase: TEST_PASSPHRASE };
    const preview = await f.t.admin.previewImport({ grant, upload: uploadId, newVaultName: 'Dropped' });
    expect(preview.file).toBe('bitwarden.json');
    expect(preview.toImport).toBeGreaterThan(0);
    await f.t.admin.previewImport({ grant, upload: uploadId, newVaultName: 'Dropped' });
    const result = await f.t.admin.runImport({ grant, upload: uploadId, newVaultName: 'Dropped' });
    expect(result.imported).toBe(preview.toImport);
    expect(staged()).toEqual([]);
    await expect(f.t.admin.runImport({ grant, upload: uploadId, newVaultName: 'Dropped again' })).rejects.toMatchObject({ code: 'upload_not_found' });
    expect((await f.t.admin.listVaults({})).map((v) => v.name)).toEqual(['Dropped']);
  });

  it('expires after 15 minutes', async () => {
    const { uploadId } = (await upload(bitwarden())).body.value as { uploadId: string };
    f.advance(UPLOAD_LIMITS.ttlMs + 1);
    const grant = { passphrase: TEST_PASSPHRASE };
    await expect(f.t.admin.previewImport({ grant, upload: uploadId, newVaultName: 'Late' })).rejects.toMatchObject({ code: 'upload_not_found' });
    expect(staged()).toEqual([]);
  });
});

describe('the browser names no paths', () => {
  async function adminCall(method: string, params: unknown): Promise<AgentResponse> {
    return f.post(`/admin/v1/${method}`, params, { tab });
  }

  it('refuses previewImport and runImport with a `path`, even with the passphrase, and reads nothing', async () => {
    const path = join(FIXTURES, 'bitwarden.json');
    for (const method of ['previewImport', 'runImport']) {
      const res = await adminCall(method, { path, newVaultName: 'Sneaky', grant: { passphrase: TEST_PASSPHRASE } });
      expect(res.status, method).toBe(400);
      expect(res.body.error.error_description).toContain('uploaded files only');
    }
    expect((await f.t.admin.queryAudit({ action: 'vault.import_preview', limit: 5 })).rows).toEqual([]);
    expect(await f.t.admin.listVaults({})).toEqual([]);
  });

  it('imports an upload through the admin route with the passphrase', async () => {
    const { uploadId } = (await upload(bitwarden())).body.value as { uploadId: string };
    const res = await adminCall('runImport', { upload: uploadId, newVaultName: 'From the browser', grant: { passphrase: TEST_PASSPHRASE } });
    expect(res.status).toBe(200);
    expect(res.body.value.vault.name).toBe('From the browser');
    const rows = (await f.t.admin.queryAudit({ action: 'vault.import', limit: 5 })).rows;
    expect(rows[0]?.detail).toMatchObject({ via: 'http', source: 'upload' });
  });
});
