import { describe, expect, it } from 'vitest';
import { VkError } from '../../../src/shared/errors.js';
import { parseTotp, totpCode } from '../../../src/core/vault/totp.js';

// RFC 6238 Appendix B: the ASCII seeds "1234567890..." of 20, 32 and 64 bytes, in base32.
const SEEDS = {
  SHA1: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ',
  SHA256: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA====',
  SHA512: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNA=',
} as const;

const VECTORS: readonly [number, string, string, string][] = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

function uri(algorithm: keyof typeof SEEDS): string {
  const secret = SEEDS[algorithm].replace(/=/g, '');
  return `otpauth://totp/ACME:alice@example.com?secret=${secret}&issuer=ACME&algorithm=${algorithm}&digits=8&period=30`;
}

function expectInvalid(seed: string): void {
  try {
    parseTotp(seed);
  } catch (e) {
    expect(e).toBeInstanceOf(VkError);
    expect((e as VkError).code).toBe('invalid_request');
    expect((e as VkError).detail).toBe('the TOTP seed is not valid base32 or otpauth URI');
    if (seed.length > 3) expect((e as VkError).message).not.toContain(seed);
    return;
  }
  throw new Error(`seed was accepted: ${seed}`);
}

describe('totpCode', () => {
  it.each(VECTORS)('matches RFC 6238 Appendix B at T=%i', (seconds, sha1, sha256, sha512) => {
    expect(totpCode(uri('SHA1'), seconds * 1000).code).toBe(sha1);
    expect(totpCode(uri('SHA256'), seconds * 1000).code).toBe(sha256);
    expect(totpCode(uri('SHA512'), seconds * 1000).code).toBe(sha512);
  });

  it('accepts a bare base32 secret: lowercase, spaced, unpadded; 6 digits, SHA-1, 30 s by default', () => {
    const spaced = 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq';
    expect(totpCode(spaced, 59_000)).toEqual({ code: '287082', expiresInSeconds: 1 });
    expect(totpCode(SEEDS.SHA1, 1111111109_000).code).toBe('081804');
    expect(totpCode(`${SEEDS.SHA1}====`, 1111111109_000).code).toBe('081804');
  });

  it('counts the seconds left in the current period', () => {
    expect(totpCode(SEEDS.SHA1, 30_000).expiresInSeconds).toBe(30);
    expect(totpCode(SEEDS.SHA1, 30_999).expiresInSeconds).toBe(30);
    expect(totpCode(SEEDS.SHA1, 44_500).expiresInSeconds).toBe(16);
    const sixty = `otpauth://totp/x?secret=${SEEDS.SHA1}&period=60`;
    expect(totpCode(sixty, 61_000).expiresInSeconds).toBe(59);
    // Same counter (T=1) as a 30 s period at 30..59 s, so the same code.
    expect(totpCode(sixty, 61_000).code).toBe(totpCode(SEEDS.SHA1, 45_000).code);
  });

  it('reads algorithm, digits and period from the URI', () => {
    const p = parseTotp(`OTPAUTH://TOTP/x?secret=${SEEDS.SHA1}&algorithm=sha512&digits=7&period=45`);
    expect({ algorithm: p.algorithm, digits: p.digits, period: p.period, bytes: p.secret.length }).toEqual({ algorithm: 'SHA512', digits: 7, period: 45, bytes: 20 });
    expect(totpCode(`otpauth://totp/x?secret=${SEEDS.SHA1}&digits=7`, 59_000).code).toBe('4287082');
  });

  it('refuses a negative or non-finite time', () => {
    expect(() => totpCode(SEEDS.SHA1, -1)).toThrow(VkError);
    expect(() => totpCode(SEEDS.SHA1, Number.NaN)).toThrow(VkError);
  });
});

describe('parseTotp refuses what is not a TOTP seed', () => {
  it.each([
    '',
    '   ',
    'not base32 at all!',
    'GEZDGNBVGY3TQOJ1', // 1 is not in the alphabet
    'https://example.com/?secret=GEZDGNBV',
    `otpauth://hotp/x?secret=${SEEDS.SHA1}&counter=1`,
    'otpauth://totp/x?issuer=ACME',
    `otpauth://totp/x?secret=${SEEDS.SHA1}&algorithm=MD5`,
    `otpauth://totp/x?secret=${SEEDS.SHA1}&digits=5`,
    `otpauth://totp/x?secret=${SEEDS.SHA1}&digits=9`,
    `otpauth://totp/x?secret=${SEEDS.SHA1}&period=0`,
    `otpauth://totp/x?secret=${SEEDS.SHA1}&period=abc`,
  ])('%j', (seed) => expectInvalid(seed));
});
