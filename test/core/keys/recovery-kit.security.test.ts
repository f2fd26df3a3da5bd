import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { generateEngineKeys } from '../../../src/core/keys/key-store.js';
import { exportRecoveryKit, importRecoveryKit } from '../../../src/core/keys/recovery-kit.js';

const PASS = 'kit passphrase 2024';
const BEGIN = '-----BEGIN VALETKEY RECOVERY KIT-----\n';
const END = '\n-----END VALETKEY RECOVERY KIT-----';
let kit: string;

beforeAll(async () => {
  await loadSodium();
  kit = exportRecoveryKit(generateEngineKeys(), PASS, { installId: 'inst-1', createdAt: new Date('2025-01-01T00:00:00Z') });
});

function expectInvalid(text: string, passphrase = PASS): void {
  expect(() => importRecoveryKit(text, passphrase)).toThrow(expect.objectContaining({ code: 'invalid_recovery_kit' }));
}

/** Decode the armoured block, let `edit` change the JSON body, and re-armour it. */
interface KitBodyJson { sealed: string; installId: string; createdAt: string }

function editBody(edit: (body: KitBodyJson) => void): string {
  const start = kit.indexOf(BEGIN) + BEGIN.length;
  const end = kit.indexOf(END);
  const body = JSON.parse(Buffer.from(kit.slice(start, end).replace(/\s+/g, ''), 'base64').toString('utf8')) as KitBodyJson;
  edit(body);
  return kit.slice(0, start) + Buffer.from(JSON.stringify(body)).toString('base64') + kit.slice(end);
}

describe('recovery kit (attacks)', () => {
  it('a wrong passphrase is invalid_recovery_kit', () => {
    expectInvalid(kit, 'kit passphrase 2025');
  });

  it('a flipped bit in the sealed keys is invalid_recovery_kit', () => {
    expectInvalid(editBody((body) => {
      const sealed = Buffer.from(body.sealed, 'base64');
      sealed[30] = (sealed[30] ?? 0) ^ 0x80;
      body.sealed = sealed.toString('base64');
    }));
  });

  it('an edited install id or date inside the block is refused (bound into the AEAD)', () => {
    expectInvalid(editBody((body) => { body.installId = 'inst-2'; }));
    expectInvalid(editBody((body) => { body.createdAt = '2026-01-01T00:00:00.000Z'; }));
  });

  it('a changed character in the armoured text is refused', () => {
    const at = kit.indexOf(BEGIN) + BEGIN.length + 100;
    const swapped = kit[at] === 'A' ? 'B' : 'A';
    expectInvalid(kit.slice(0, at) + swapped + kit.slice(at + 1));
  });

  it('garbage, an empty string, a truncated kit and a kit without its end line are refused', () => {
    expectInvalid('');
    expectInvalid('hello world');
    expectInvalid(`${BEGIN}bm90IGEga2l0${END}`);
    expectInvalid(kit.slice(0, kit.length / 2));
    expectInvalid(kit.replace(END, ''));
    expectInvalid('x'.repeat(1_000_000));
  });

  it('the error never repeats the passphrase', () => {
    try {
      importRecoveryKit(kit, 'guess number one!');
      expect.unreachable();
    } catch (e) {
      expect(String((e as Error).message)).not.toContain('guess number one!');
    }
  });
});
