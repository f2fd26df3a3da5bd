/**
 * Hostile and broken files. Every malformed or truncated export is refused with invalid_request
 * naming the file and the item or line, the vaults are exactly as before, and no value from the
 * file reaches the error. Importing without the admin passphrase is refused and audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { isVkError } from '../../../src/shared/errors.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { fixture, fixtureText, kdbx4, KDBX_PASSWORD, onePux, protonZip, tempFiles } from './import-fixtures.js';

let t: TestEngine;
let files: ReturnType<typeof tempFiles>;
let vaultId: string;

beforeAll(async () => {
  t = await openTestEngine();
  files = tempFiles();
  const vault = await t.admin.createVault({ grant: t.grant, vault: { name: 'Target' } });
  vaultId = vault.id;
  await t.admin.createEntry({ grant: t.grant, vaultId, entry: { title: 'Existing', kind: 'login', fields: { username: 'me', password: 'existing-pass' } } });
});

afterAll(async () => {
  await t.close();
  files.cleanup();
});

async function snapshot(): Promise<unknown> {
  const vaults = await t.admin.listVaults({});
  const entries = await t.admin.listEntries({});
  return { vaults: vaults.map((v) => [v.id, v.name, v.entryCount, v.updatedAt]), entries: entries.map((e) => [e.id, e.version, e.updatedAt]) };
}

const encode = (s: string) => new TextEncoder().encode(s);
const cut = (bytes: Uint8Array, fraction: number) => bytes.slice(0, Math.floor(bytes.length * fraction));

function bitwardenWith(change: (items: Record<string, unknown>[]) => void): Uint8Array {
  const data = JSON.parse(fixtureText('bitwarden.json')) as { items: Record<string, unknown>[] };
  change(data.items);
  return encode(JSON.stringify(data, null, 2));
}

function protonWith(change: (items: Record<string, unknown>[]) => void): Uint8Array {
  const data = JSON.parse(fixtureText('proton-pass/Proton Pass/data.json')) as { vaults: Record<string, { items: Record<string, unknown>[] }> };
  change(data.vaults['shareA']!.items);
  return protonZip(encode(JSON.stringify(data)));
}

const SECRETS = ['pä$$wörd-ü-BW1', 'gh-alice-pass', '1p-mail-pässword', 'proton-pass-1', 'kp-pä$$-1', 'csv-pä$$-1', 'chrome-pä$$', 'ff-pä$$', KDBX_PASSWORD];

const broken: readonly [string, string, () => Uint8Array | Promise<Uint8Array>, RegExp][] = [
  ['Bitwarden JSON cut in half', 'bw-cut.json', () => cut(fixture('bitwarden.json'), 0.5), /^bw-cut\.json, line \d+: the JSON ends early \(is the file truncated\?\)$/],
  ['Bitwarden JSON with a syntax error', 'bw-syntax.json', () => encode(fixtureText('bitwarden.json').replace('"name": "GitHub"', '"name" "GitHub"')), /^bw-syntax\.json, line \d+: the text is not valid JSON here$/],
  ['Bitwarden item whose login is not an object', 'bw-item.json', () => bitwardenWith((items) => (items[4]!['login'] = 'oops')), /^bw-item\.json, item 5: `login` must be a JSON object$/],
  ['Bitwarden item that is not an object', 'bw-notobj.json', () => bitwardenWith((items) => items.splice(2, 1, 'x' as never)), /^bw-notobj\.json, item 3: the item must be a JSON object$/],
  ['Bitwarden URIs of the wrong type', 'bw-uris.json', () => bitwardenWith((items) => ((items[0]!['login'] as Record<string, unknown>)['uris'] = 42)), /^bw-uris\.json, item 1: `uris` must be a JSON array$/],
  ['1PUX zip cut short', 'cut.1pux', () => cut(onePux(), 0.6), /^cut\.1pux: the zip archive is damaged or incomplete \(is the file truncated\?\)$/],
  ['1PUX whose export.data is cut', 'data-cut.1pux', () => onePux(cut(fixture('1password-1pux/export.data'), 0.5)), /^data-cut\.1pux: export\.data, line \d+: the JSON ends early/],
  ['1PUX item that is not an object', 'item.1pux', () => {
    const data = JSON.parse(fixtureText('1password-1pux/export.data')) as { accounts: { vaults: { items: unknown[] }[] }[] };
    data.accounts[0]!.vaults[0]!.items[3] = 7;
    return onePux(encode(JSON.stringify(data)));
  }, /^item\.1pux, item 4: the item must be a JSON object$/],
  ['zip that is neither 1PUX nor Proton', 'other.zip', () => zipSync({ 'readme.txt': encode('hi') }), /^other\.zip: the zip archive has neither export\.data/],
  ['Proton zip cut short', 'proton-cut.zip', () => cut(protonZip(), 0.7), /^proton-cut\.zip: the zip archive is damaged or incomplete/],
  ['Proton item without data', 'proton-item.zip', () => protonWith((items) => delete items[1]!['data']), /^proton-item\.zip, item 2: `data` must be a JSON object$/],
  ['1Password CSV cut inside a quoted note', '1p-cut.csv', () => encode(fixtureText('1password.csv').slice(0, fixtureText('1password.csv').indexOf('Line two'))), /^1p-cut\.csv, line 2: a quoted field opens here and never closes/],
  ['Chrome CSV with a short row', 'chrome-short.csv', () => encode(`${fixtureText('chrome.csv')}broken.example,https://broken.example\n`), /^chrome-short\.csv, line 8: the row has 2 fields but the header has 5/],
  ['Firefox CSV cut mid-row', 'ff-cut.csv', () => encode(fixtureText('firefox.csv').slice(0, fixtureText('firefox.csv').indexOf('"ff-realm"') + 3)), /^ff-cut\.csv, line 3: a quoted field opens here and never closes/],
  ['KeePass XML cut short', 'kp-cut.xml', () => cut(fixture('keepass.xml'), 0.5), /^kp-cut\.xml, line \d+: the XML ends/],
  ['KeePass XML with a mismatched tag', 'kp-tag.xml', () => encode(fixtureText('keepass.xml').replace('</Key>', '</Kee>')), /^kp-tag\.xml, line \d+: <\/Kee> does not close the element opened before it$/],
  ['KDBX cut short', 'cut.kdbx', async () => cut(await kdbx4(), 0.8), /^cut\.kdbx: the KDBX file is damaged or truncated$/],
  ['empty file', 'empty.json', () => new Uint8Array(), /^empty\.json: the file is empty$/],
];

describe('malformed and truncated files', () => {
  it.each(broken)('%s: refused, naming the file and where, vault unchanged', async (_label, name, bytes, detail) => {
    const path = files.write(name, await bytes());
    const before = await snapshot();
    for (const call of [
      () => t.admin.previewImport({ grant: t.grant, path, vault: vaultId, kdbxPassword: KDBX_PASSWORD }),
      () => t.admin.runImport({ grant: t.grant, path, vault: vaultId, kdbxPassword: KDBX_PASSWORD }),
      () => t.admin.runImport({ grant: t.grant, path, newVaultName: `New from ${name}`, kdbxPassword: KDBX_PASSWORD }),
    ]) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isVkError(error), String(error)).toBe(true);
      if (!isVkError(error)) continue;
      expect(error.code).toBe('invalid_request');
      // The detail is the whole description: a sentence for a person, not buried after a generic one.
      expect(error.message).toMatch(new RegExp(detail.source.replace(/\$$/, '\\.?$')));
      for (const secret of SECRETS) expect(error.message).not.toContain(secret);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a KDBX with the wrong password without saying more', async () => {
    const path = files.write('wrong.kdbx', await kdbx4());
    const error = await t.admin.runImport({ grant: t.grant, path, vault: vaultId, kdbxPassword: 'guess-1234' }).catch((e: unknown) => e);
    expect(isVkError(error) && error.message).toMatch(/wrong\.kdbx: the KDBX password is wrong/);
    expect(String((error as Error).message)).not.toContain('guess-1234');
  });

  it('does not follow a directory or read beyond files', async () => {
    await expect(t.admin.previewImport({ grant: t.grant, path: files.dir, vault: vaultId })).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('granting is for people', () => {
  it('refuses previews and imports without the admin passphrase, and audits the refusal', async () => {
    const path = files.write('grant.json', fixture('bitwarden.json'));
    const before = await snapshot();
    await expect(t.admin.previewImport({ path, vault: vaultId })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.runImport({ path, vault: vaultId })).rejects.toMatchObject({ code: 'grant_required' });
    await expect(t.admin.runImport({ grant: { passphrase: 'not the passphrase' }, path, vault: vaultId })).rejects.toMatchObject({ code: 'passphrase_invalid' });
    expect(await snapshot()).toEqual(before);
    const refusals = await t.admin.queryAudit({ action: 'admin.grant_refused', limit: 10 });
    expect(refusals.rows.map((r) => r.detail?.['method'])).toEqual(expect.arrayContaining(['previewImport', 'runImport']));
  });

  it('shows hosts a file would let agents send secrets to, before anything is written', async () => {
    const withHosts = bitwardenWith((items) => (items[0]!['valetkey'] = { kind: 'login', allowedHosts: ['api.attacker.example'] }));
    const path = files.write('hosts.json', withHosts);
    const preview = await t.admin.previewImport({ grant: t.grant, path, newVaultName: 'Hosts' });
    expect(preview.general.join('\n')).toContain('1 entries come with hosts that agents\' /v1/fetch may send their secrets to: api.attacker.example.');
  });
});
