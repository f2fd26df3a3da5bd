/**
 * TOTP seeds as KeePass clients store them: KeePassXC's `otp` field (an otpauth:// URI) or its
 * older `TOTP Seed`, and KeePass 2.47+'s `TimeOtp-*` fields (secret in Base32, UTF-8, hex or
 * Base64, with optional length, period and algorithm), turned into one seed Valetkey understands.
 */
import { base32Encode } from '../vault/base32.js';

export const OTP_FIELDS = ['otp', 'TOTP Seed', 'TOTP Settings'] as const;
export const TIME_OTP_PREFIX = 'TimeOtp-';

const ALGORITHMS: Readonly<Record<string, string>> = { 'HMAC-SHA-1': 'SHA1', 'HMAC-SHA-256': 'SHA256', 'HMAC-SHA-512': 'SHA512' };

function timeOtpSecret(get: (key: string) => string | undefined): string | undefined {
  const base32 = get('TimeOtp-Secret-Base32');
  if (base32) return base32.replace(/\s+/g, '');
  const encodings: readonly [string, BufferEncoding][] = [['TimeOtp-Secret', 'utf8'], ['TimeOtp-Secret-Hex', 'hex'], ['TimeOtp-Secret-Base64', 'base64']];
  for (const [key, encoding] of encodings) {
    const value = get(key);
    if (!value) continue;
    const bytes = Buffer.from(encoding === 'hex' ? value.replace(/\s+/g, '') : value, encoding);
    const text = base32Encode(bytes);
    bytes.fill(0);
    return text;
  }
  return undefined;
}

/** KeePass 2's native TOTP fields as a seed (plain Base32, or an otpauth URI when not the defaults). */
export function timeOtpSeed(get: (key: string) => string | undefined): string | undefined {
  const secret = timeOtpSecret(get);
  if (secret === undefined) return undefined;
  const digits = get('TimeOtp-Length');
  const period = get('TimeOtp-Period');
  const algorithm = ALGORITHMS[get('TimeOtp-Algorithm') ?? ''];
  if (!digits && !period && !algorithm) return secret;
  const params = new URLSearchParams({ secret: secret.toUpperCase() });
  if (digits) params.set('digits', digits);
  if (period) params.set('period', period);
  if (algorithm) params.set('algorithm', algorithm);
  return `otpauth://totp/KeePass?${params.toString()}`;
}
