import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { generateEngineKeys } from '../../../src/core/keys/key-store.js';
import { exportRecoveryKit, importRecoveryKit } from '../../../src/core/keys/recovery-kit.js';
import { keyForms } from './temp-dir.js';

const PASS = 'kit passphrase 2024';
const INFO = { installId: 'inst-7f3a9c', createdAt: new Date('2025-03-04T05:06:07.000Z') };

beforeAll(async () => { await loadSodium(); });

describe('recovery kit', () => {
  it('exports a printable document that imports back to the same keys and install id', () => {
    const keys = generateEngineKeys();
    const kit = exportRecoveryKit(keys, PASS, INFO);
    expect(kit).toMatch(/^VALETKEY RECOVERY KIT/);
    expect(kit).toContain('valetkey recovery restore FILE');
    expect(kit).toContain('inst-7f3a9c');
    expect(kit).toContain('2025-03-04T05:06:07.000Z');
    expect(kit.split('\n').every((line) => line.length <= 100 && /^[\x20-\x7e]*$/.test(line))).toBe(true);
    const back = importRecoveryKit(kit, PASS);
    expect(back.installId).toBe('inst-7f3a9c');
    expect(back.createdAt.toISOString()).toBe('2025-03-04T05:06:07.000Z');
    expect(Buffer.from(back.keys.master).equals(Buffer.from(keys.master))).toBe(true);
    expect(Buffer.from(back.keys.signing).equals(Buffer.from(keys.signing))).toBe(true);
  });

  it('survives re-wrapping and extra whitespace, as after printing and scanning or copy-paste', () => {
    const keys = generateEngineKeys();
    const kit = exportRecoveryKit(keys, PASS, INFO).replace(/\n/g, '\r\n  ');
    expect(Buffer.from(importRecoveryKit(kit, PASS).keys.master).equals(Buffer.from(keys.master))).toBe(true);
  });

  it('holds no key bytes in clear, in the text or in the decoded block', () => {
    const keys = generateEngineKeys();
    const kit = exportRecoveryKit(keys, PASS, INFO);
    const block = kit.split('-----')[2] ?? '';
    const decoded = Buffer.from(block.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    for (const form of [...keyForms(keys.master), ...keyForms(keys.signing)]) {
      expect(Buffer.from(kit).includes(form)).toBe(false);
      expect(decoded.includes(form)).toBe(false);
    }
  });

  it('refuses a kit passphrase under 10 characters', () => {
    expect(() => exportRecoveryKit(generateEngineKeys(), 'too short', INFO)).toThrow(expect.objectContaining({ code: 'passphrase_too_short' }));
  });
});
