/**
 * MACs for rows that grant or widen access (docs/security.md, "Granting is for people"). An agent
 * running as the same OS user can write the database file; it cannot compute these, because the
 * key is derived from the engine's signing seed, which lives only in the OS keychain or the key
 * file and, once loaded, in this process's memory.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { SigningSeed } from '../crypto/types.js';

/** One column's value as the MAC sees it. */
export type MacField = string | number | null;

/** A 32-byte key for `purpose`, derived from the signing seed (HKDF-SHA-256, no salt). */
export function macKey(seed: SigningSeed, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', seed, Buffer.alloc(0), purpose, 32));
}

/** HMAC-SHA-256 as hex. */
export function hmacHex(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex MACs; false for anything malformed. */
export function sameMac(expected: string, actual: string | null | undefined): boolean {
  if (typeof actual !== 'string' || actual.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(expected, 'utf8'), Buffer.from(actual, 'utf8'));
}

/**
 * The MAC of one row: table, row id and every granting column, in a fixed order. A JSON array
 * keeps the encoding unambiguous (strings, numbers and null cannot run into each other), and the
 * table name stops a MAC from one table being replayed on another.
 */
export function rowMacMessage(table: string, id: string, fields: readonly MacField[]): string {
  return JSON.stringify(['valetkey-row-v1', table, id, ...fields]);
}

export const ROW_MAC_PURPOSE = 'valetkey row mac v1';
