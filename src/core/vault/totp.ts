/**
 * RFC 6238 TOTP (RFC 4226 HOTP over a time counter). Seeds come as a base32 secret, as most
 * sites print them, or as the `otpauth://totp/...` URI inside their QR codes.
 */
import { createHmac } from 'node:crypto';
import { VkError } from '../../shared/errors.js';
import { base32Decode } from './base32.js';

export const TOTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type TotpAlgorithm = (typeof TOTP_ALGORITHMS)[number];

export interface TotpParams {
  readonly secret: Uint8Array;
  readonly algorithm: TotpAlgorithm;
  readonly digits: number;
  readonly period: number;
}

export interface TotpCode {
  readonly code: string;
  readonly expiresInSeconds: number;
}

const DEFAULTS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
const MAX_PERIOD_SECONDS = 3600;

/** The same fixed detail for every bad seed: the seed itself must never reach an error. */
function invalidSeed(): VkError {
  return new VkError('invalid_request', 'the TOTP seed is not valid base32 or otpauth URI');
}

function decodeSecret(text: string): Uint8Array {
  const cleaned = text.replace(/\s+/g, '').replace(/=+$/, '');
  const secret = cleaned.length > 0 ? base32Decode(cleaned) : undefined;
  if (secret === undefined || secret.length === 0) throw invalidSeed();
  return secret;
}

function parseAlgorithm(value: string | null): TotpAlgorithm {
  if (value === null) return DEFAULTS.algorithm;
  const upper = value.toUpperCase().replace('-', '');
  const found = TOTP_ALGORITHMS.find((a) => a === upper);
  if (found === undefined) throw invalidSeed();
  return found;
}

function parseInteger(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null) return fallback;
  if (!/^\d{1,6}$/.test(value)) throw invalidSeed();
  const n = Number(value);
  if (n < min || n > max) throw invalidSeed();
  return n;
}

function parseUri(text: string): TotpParams {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidSeed();
  }
  // HOTP seeds (otpauth://hotp) need a stored counter; we only generate time-based codes.
  if (url.protocol !== 'otpauth:' || url.host.toLowerCase() !== 'totp') throw invalidSeed();
  const q = url.searchParams;
  return {
    secret: decodeSecret(q.get('secret') ?? ''),
    algorithm: parseAlgorithm(q.get('algorithm')),
    digits: parseInteger(q.get('digits'), DEFAULTS.digits, 6, 8),
    period: parseInteger(q.get('period'), DEFAULTS.period, 1, MAX_PERIOD_SECONDS),
  };
}

/** Parses and validates a seed; throws `invalid_request` (with a fixed detail) if it is not one. */
export function parseTotp(secretOrUri: string): TotpParams {
  const text = secretOrUri.trim();
  if (/^otpauth:/i.test(text)) return parseUri(text);
  return { secret: decodeSecret(text), ...DEFAULTS };
}

/** RFC 4226 §5.3: HMAC of the counter, dynamic truncation, `digits` decimal digits. */
function hotp(params: TotpParams, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac(params.algorithm.toLowerCase(), params.secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** params.digits).padStart(params.digits, '0');
}

/** The code valid at `nowMs` and how many whole seconds it stays valid (1..period). */
export function totpCode(secretOrUri: string, nowMs: number): TotpCode {
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new VkError('invalid_request', 'the time must be a non-negative number of milliseconds');
  const params = parseTotp(secretOrUri);
  try {
    const seconds = Math.floor(nowMs / 1000);
    const code = hotp(params, Math.floor(seconds / params.period));
    return { code, expiresInSeconds: params.period - (seconds % params.period) };
  } finally {
    params.secret.fill(0);
  }
}
