/**
 * Each fixture, in its product's documented shape, maps to the right entries: counts by kind,
 * every field of the interesting items, skipped items with their reasons and what was not mapped.
 */
import { describe, expect, it } from 'vitest';
import type { ImportItem, ParsedImport } from '../../../src/core/import/import-item.js';
import { parseImport } from '../../../src/core/import/parse-import.js';
import type { ImportFormat } from '../../../src/shared/model.js';
import { fixture, onePux, protonZip } from './import-fixtures.js';

function kinds(parsed: ParsedImport): Record<string, number> {
  const out: Record<string, number> = { login: 0, api_key: 0, note: 0, skipped: 0 };
  for (const item of parsed.items) out[item.entry?.kind ?? 'skipped']! += 1;
  return out;
}

function byTitle(parsed: ParsedImport, title: string, n = 0): ImportItem {
  const found = parsed.items.filter((i) => i.title === title)[n];
  if (!found) throw new Error(`no item ${title}`);
  return found;
}

async function open(name: string, bytes: Uint8Array, format?: ImportFormat): Promise<ParsedImport> {
  return parseImport({ name, bytes }, format);
}

describe('Bitwarden JSON', async () => {
  const parsed = await open('bitwarden.json', fixture('bitwarden.json'));

  it('is detected and counted by kind', () => {
    expect(parsed.format).toBe('bitwarden_json');
    expect(parsed.items).toHaveLength(12);
    expect(kinds(parsed)).toEqual({ login: 5, api_key: 1, note: 4, skipped: 2 });
  });

  it('maps a login with unicode, several URIs, TOTP, notes and text, hidden and boolean fields', () => {
    const item = byTitle(parsed, 'Bänk – 銀行 🏦');
    expect(item.entry).toEqual({
      title: 'Bänk – 銀行 🏦',
      kind: 'login',
      fields: {
        username: 'zoë@example.com',
        password: 'pä$$wörd-ü-BW1',
        urls: ['https://bank.example/login', 'https://m.bank.example'],
        totp: 'otpauth://totp/Bank:zoe?secret=JBSWY3DPEHPK3PXP&issuer=Bank',
        notes: 'Multi\nline ✓',
        custom: [
          { name: 'Customer no', value: '12345', hidden: false },
          { name: 'PIN', value: '0000-pin', hidden: true },
          { name: 'Remember me', value: 'true', hidden: false },
        ],
      },
      allowedHosts: [],
    });
    expect(item.notMapped).toEqual(['a linked field was not imported: Valetkey has no linked fields']);
  });

  it('turns cards and identities into notes with hidden numbers, and SSH keys into API keys', () => {
    const card = byTitle(parsed, 'Visa ••1234').entry!;
    expect(card.kind).toBe('note');
    expect(card.fields.custom).toContainEqual({ name: 'Number', value: '4111111111111111', hidden: true });
    expect(card.fields.custom).toContainEqual({ name: 'Expires', value: '12/2030', hidden: false });
    const me = byTitle(parsed, 'Me').entry!;
    expect(me.fields.custom).toContainEqual({ name: 'SSN', value: '123-45-6789', hidden: true });
    expect(me.fields.custom?.some((c) => c.name === 'Middle name')).toBe(false);
    const key = byTitle(parsed, 'Deploy key').entry!;
    expect(key.kind).toBe('api_key');
    expect(key.fields.apiKey).toContain('BEGIN OPENSSH PRIVATE KEY');
  });

  it('keeps duplicate names, very long notes and empty fields; lists passkeys, trash and empty items', () => {
    expect(parsed.items.filter((i) => i.title === 'GitHub').map((i) => i.entry?.fields.username)).toEqual(['alice', 'bob']);
    expect(byTitle(parsed, 'GitHub').notMapped).toEqual(['the passkey was not imported: Valetkey does not store passkeys']);
    expect(byTitle(parsed, 'Long notes').entry?.fields.notes).toHaveLength(20_000);
    expect(byTitle(parsed, 'Empty fields').entry?.fields).toEqual({});
    expect(byTitle(parsed, 'Old forum').skipReason).toBe('it is in Bitwarden’s trash');
    expect(parsed.items.find((i) => i.where === 'item 8')?.skipReason).toBe('the item is empty');
  });

  it('keeps a seed it cannot use as a hidden field, and says so', () => {
    const steam = byTitle(parsed, 'Steam');
    expect(steam.entry?.fields.totp).toBeUndefined();
    expect(steam.entry?.fields.custom).toEqual([{ name: 'TOTP', value: 'steam://ABCDEFGHIJ', hidden: true }]);
    expect(steam.notMapped[0]).toMatch(/not a TOTP seed/);
  });
});

describe('1Password 1PUX', async () => {
  const parsed = await open('export.1pux', onePux());

  it('reads export.data from the zip, across vaults', () => {
    expect(parsed.format).toBe('1password_1pux');
    expect(parsed.items).toHaveLength(12);
    expect(kinds(parsed)).toEqual({ login: 7, api_key: 2, note: 2, skipped: 1 });
    expect(parsed.general).toContain('1Password vaults are merged: every item goes into the vault you chose.');
  });

  it('maps login fields, URLs, TOTP and section fields', () => {
    const mail = byTitle(parsed, 'Ünïcødé Mail ✉').entry!;
    expect(mail.fields).toEqual({
      username: 'user@example.com',
      password: '1p-mail-pässword',
      urls: ['https://mail.example', 'https://webmail.example'],
      totp: 'otpauth://totp/Mail?secret=JBSWY3DPEHPK3PXP',
      notes: 'Notes ü',
      custom: [
        { name: 'Security question', value: 'What pet?', hidden: false },
        { name: 'Recovery code', value: 'abcd-efgh-1p', hidden: true },
        { name: 'Since', value: '2020-09-13', hidden: false },
      ],
    });
  });

  it('maps passwords, API credentials, SSH keys and cards', () => {
    expect(byTitle(parsed, 'Router admin').entry?.fields).toEqual({ password: 'r0uter!-1p' });
    expect(byTitle(parsed, 'Stripe').entry).toMatchObject({ kind: 'api_key', fields: { username: 'acct_1', apiKey: 'sk_test_1p_123', custom: [{ name: 'hostname', value: 'api.stripe.com', hidden: false }] } });
    expect(byTitle(parsed, 'Deploy key').entry?.fields.apiKey).toContain('1p-ssh');
    const card = byTitle(parsed, 'Card').entry!;
    expect(card.kind).toBe('note');
    expect(card.fields.custom).toContainEqual({ name: 'number', value: '4111111111111111', hidden: true });
    expect(card.fields.custom).toContainEqual({ name: 'expiry date', value: '2030-12', hidden: false });
  });

  it('lists documents, attachments and links it cannot keep; titles an untitled item by its host', () => {
    expect(byTitle(parsed, 'Passport scan').skipReason).toMatch(/documents \(files\) are not imported/);
    expect(byTitle(parsed, 'With attachment').notMapped).toHaveLength(2);
    expect(byTitle(parsed, 'no-title.example').entry?.fields.urls).toEqual(['https://no-title.example/path']);
  });
});

describe('1Password CSV', async () => {
  const parsed = await open('1password.csv', fixture('1password.csv'));

  it('maps each row to a login, naming rows by line', () => {
    expect(parsed.format).toBe('1password_csv');
    expect(parsed.items.map((i) => i.where)).toEqual(['line 2', 'line 4', 'line 5', 'line 6', 'line 7']);
    expect(parsed.items[0]!.entry?.fields).toEqual({
      username: 'zoë@example.com',
      password: 'csv-pä$$-1',
      urls: ['https://bank.example'],
      totp: 'otpauth://totp/Bank?secret=JBSWY3DPEHPK3PXP',
      notes: 'Line one\r\nLine two, with a comma and "quotes"',
    });
    expect(byTitle(parsed, 'Empty').entry?.fields).toEqual({});
    expect(byTitle(parsed, 'Long').entry?.fields.notes).toHaveLength(20_000);
    expect(parsed.general).toEqual(['Tags are not kept.', 'Archived items are imported like the others.']);
  });
});

describe('browser CSVs', async () => {
  it('maps Chrome rows, titling a nameless row by its host', async () => {
    const parsed = await open('chrome.csv', fixture('chrome.csv'));
    expect(parsed.format).toBe('chrome_csv');
    expect(parsed.items.map((i) => i.title)).toEqual(['bank.example', 'nameless.example', 'github.com', 'github.com', '日本.example']);
    expect(parsed.items[1]!.entry?.fields).toEqual({ username: 'someone', password: 'chrome-2', urls: ['https://nameless.example/'], notes: 'multi\nline note, with comma' });
    expect(parsed.items[4]!.entry?.fields.password).toBe('パスワード');
  });

  it('maps Firefox rows, keeping an HTTP realm', async () => {
    const parsed = await open('firefox.csv', fixture('firefox.csv'));
    expect(parsed.format).toBe('firefox_csv');
    expect(parsed.items.map((i) => i.title)).toEqual(['bank.example', 'intranet.example', 'github.com', 'github.com']);
    expect(parsed.items[1]!.entry?.fields.custom).toEqual([{ name: 'HTTP realm', value: 'Intranet Realm', hidden: false }]);
  });

  it('lets a named CSV format win over the guess, and refuses one whose columns are missing', async () => {
    const asChrome = await open('1password.csv', fixture('1password.csv'), '1password_csv');
    expect(asChrome.format).toBe('1password_csv');
    await expect(open('chrome.csv', fixture('chrome.csv'), 'firefox_csv')).resolves.toMatchObject({ format: 'firefox_csv' });
    await expect(open('firefox.csv', fixture('firefox.csv'), '1password_csv')).rejects.toThrow(/the header has no title column/);
  });
});

describe('Proton Pass', async () => {
  const parsed = await open('proton.zip', protonZip());

  it('reads Proton Pass/data.json from the zip, across vaults', () => {
    expect(parsed.format).toBe('proton_pass');
    expect(kinds(parsed)).toEqual({ login: 3, api_key: 1, note: 3, skipped: 2 });
  });

  it('maps logins with username and email, URLs, TOTP, extra fields and notes', () => {
    const mail = byTitle(parsed, 'Prøton Mail 📧');
    expect(mail.entry?.fields).toEqual({
      username: 'me',
      password: 'proton-pass-1',
      urls: ['https://account.proton.me', 'https://mail.proton.me'],
      totp: 'otpauth://totp/Proton:me?secret=JBSWY3DPEHPK3PXP&issuer=Proton',
      notes: 'note ✓',
      custom: [
        { name: 'Email', value: 'me@proton.me', hidden: false },
        { name: 'Recovery phrase', value: 'word1 word2 proton', hidden: true },
        { name: 'Account no', value: '42', hidden: false },
        { name: 'Backup 2FA', value: 'otpauth://totp/Backup?secret=KRSXG5CTMVRXEZLU', hidden: true },
      ],
    });
    expect(mail.notMapped).toEqual(['1 passkey(s) not imported: Valetkey does not store passkeys']);
    expect(byTitle(parsed, 'Prøton Mail 📧', 1).entry?.fields.username).toBe('work@proton.me');
    expect(byTitle(parsed, 'Legacy login').entry?.fields.username).toBe('legacy-user');
  });

  it('turns cards and identities into notes, skips aliases and trash', () => {
    expect(byTitle(parsed, 'Proton card').entry?.fields.custom).toContainEqual({ name: 'PIN', value: '1234', hidden: true });
    const id = byTitle(parsed, 'ID').entry!;
    expect(id.fields.custom).toContainEqual({ name: 'Social security number', value: '987-65-4321', hidden: true });
    expect(id.fields.custom).toContainEqual({ name: 'Loyalty', value: 'L-1', hidden: true });
    expect(byTitle(parsed, 'Alias for shop').skipReason).toMatch(/alias/);
    expect(byTitle(parsed, 'Trashed login').skipReason).toMatch(/trash/);
  });

  it('also reads a bare data.json taken out of the zip', async () => {
    const bare = await open('data.json', fixture('proton-pass/Proton Pass/data.json'));
    expect(bare.items.map((i) => i.entry)).toEqual(parsed.items.map((i) => i.entry));
  });
});

describe('KeePass 2 XML', async () => {
  const parsed = await open('keepass.xml', fixture('keepass.xml'));

  it('maps entries from every group, skipping the recycle bin', () => {
    expect(parsed.format).toBe('keepass_xml');
    expect(kinds(parsed)).toEqual({ login: 4, api_key: 0, note: 1, skipped: 2 });
    expect(byTitle(parsed, 'Deleted thing').skipReason).toBe('it is in the KeePass recycle bin');
  });

  it('maps standard fields, otp, extra URLs, protected and plain custom fields; lists attachments', () => {
    const bank = byTitle(parsed, 'Ünïcødé Bank 🏦');
    expect(bank.entry?.fields).toEqual({
      username: 'zoë',
      password: 'kp-pä$$-1',
      urls: ['https://bank.example', 'https://m.bank.example'],
      totp: 'otpauth://totp/Bank:zoe?secret=JBSWY3DPEHPK3PXP&period=30&digits=6&issuer=Bank',
      notes: 'Notes ✓\nsecond line',
      custom: [
        { name: 'PIN', value: '4321-kp', hidden: true },
        { name: 'Branch', value: 'Paris', hidden: false },
        { name: 'Empty custom', value: '', hidden: false },
      ],
    });
    expect(bank.notMapped).toEqual(['1 attachment(s) not imported: Valetkey does not store files']);
    expect(parsed.general).toContain('Entry history (older versions) is not imported.');
  });

  it('turns KeePass 2 native TOTP fields into an otpauth URI', () => {
    expect(byTitle(parsed, 'Native TOTP').entry?.fields.totp).toBe('otpauth://totp/KeePass?secret=KRSXG5CTMVRXEZLU&period=60&algorithm=SHA256');
  });

  it('makes an entry with only notes a note', () => {
    expect(byTitle(parsed, 'Long notes').entry?.kind).toBe('note');
  });
});

describe('format detection', () => {
  it('refuses a file whose content is another format than named', async () => {
    await expect(open('bitwarden.json', fixture('bitwarden.json'), 'proton_pass')).rejects.toThrow('bitwarden.json: the content is a bitwarden_json file, not proton_pass');
    await expect(open('export.1pux', onePux(), 'kdbx')).rejects.toThrow(/the content is a 1password_1pux file/);
  });

  it('refuses what it does not know, naming the file', async () => {
    await expect(open('x.bin', new Uint8Array([0xff, 0xfe, 0x00, 0x81]))).rejects.toThrow('x.bin: the file is neither a known archive nor UTF-8 text');
    await expect(open('x.json', new TextEncoder().encode('{"hello": 1}'))).rejects.toThrow('x.json: this JSON is not a Bitwarden, 1Password or Proton Pass export');
    await expect(open('x.csv', new TextEncoder().encode('a,b\n1,2\n'))).rejects.toThrow(/x\.csv, line 1: the header is not one of/);
  });

  it('refuses an encrypted Bitwarden or Proton export with what to do', async () => {
    await expect(open('enc.json', new TextEncoder().encode('{"encrypted": true, "items": []}'))).rejects.toThrow(/encrypted; export again choosing "JSON"/);
    await expect(open('enc.json', new TextEncoder().encode('{"encrypted": true, "vaults": {}}'))).rejects.toThrow(/encrypted \(PGP\)/);
  });
});
