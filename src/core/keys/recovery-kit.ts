/**
 * The recovery kit: a printable text document holding the engine keys sealed under a recovery
 * passphrase (Argon2id MODERATE + XChaCha20-Poly1305), for when the keychain or key file is lost.
 * Only the armoured block is read back; the human lines around it are for the person. The
 * install id and date inside the block are bound into the AEAD, so they cannot be edited.
 */
import { VkError } from '../../shared/errors.js';
import { fromBase64 } from './base64.js';
import type { EngineKeys } from './key-store.js';
import { moderateLimits, newKdfParams, openKeys, parseKdfParams, sealKeys, type KdfParams } from './passphrase-seal.js';
import { checkPassphraseStrength } from './passphrase-strength.js';

const FORMAT = 'valetkey-recovery-kit';
const VERSION = 1;
const BEGIN = '-----BEGIN VALETKEY RECOVERY KIT-----';
const END = '-----END VALETKEY RECOVERY KIT-----';
const LINE = 64;
/** Printable ASCII without spaces: it is shown on its own line and must not forge one. */
const INSTALL_ID = /^[\x21-\x7e]{1,128}$/;
const MAX_KIT_CHARS = 64 * 1024;

interface KitBody {
  readonly format: typeof FORMAT;
  readonly v: typeof VERSION;
  readonly installId: string;
  readonly createdAt: string;
  readonly kdf: KdfParams;
  readonly sealed: string;
}

export interface RecoveryKitInfo {
  readonly installId: string;
  readonly createdAt: Date;
}

export interface ImportedRecoveryKit {
  readonly keys: EngineKeys;
  readonly installId: string;
  readonly createdAt: Date;
}

function label(installId: string, createdAt: string): readonly (string | number)[] {
  return [FORMAT, VERSION, installId, createdAt];
}

/** The kit as text. Throws passphrase_too_short for a passphrase under 10 characters. */
export function exportRecoveryKit(keys: EngineKeys, passphrase: string, info: RecoveryKitInfo): string {
  checkPassphraseStrength(passphrase);
  if (!INSTALL_ID.test(info.installId)) throw new Error('installId must be 1-128 printable ASCII characters');
  const createdAt = info.createdAt.toISOString();
  const kdf = newKdfParams(moderateLimits());
  const sealed = sealKeys(keys, passphrase, kdf, label(info.installId, createdAt));
  const body: KitBody = { format: FORMAT, v: VERSION, installId: info.installId, createdAt, kdf, sealed };
  const block = Buffer.from(JSON.stringify(body), 'utf8').toString('base64');
  return [...humanLines(info.installId, createdAt), BEGIN, ...wrap(block), END, ''].join('\n');
}

function humanLines(installId: string, createdAt: string): readonly string[] {
  return [
    'VALETKEY RECOVERY KIT',
    '',
    'This document restores the keys of one Valetkey installation: the master key, which opens',
    'every vault, and the signing key, which signs agent tokens and audit checkpoints.',
    'They are sealed below with the recovery passphrase chosen when this kit was made',
    '(Argon2id + XChaCha20-Poly1305). Without that passphrase the kit opens nothing; with it,',
    'it opens everything. Keep the kit and the passphrase in different places.',
    '',
    `Installation: ${installId}`,
    `Made:         ${createdAt}`,
    '',
    'To restore, on the machine that holds the Valetkey data directory, run',
    '    valetkey recovery restore FILE',
    'and enter the recovery passphrase. Print this page or keep it offline.',
    '',
  ];
}

function wrap(text: string): readonly string[] {
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += LINE) lines.push(text.slice(at, at + LINE));
  return lines;
}

/** Keys and install id from a kit; anything wrong (not a kit, altered, wrong passphrase) → invalid_recovery_kit. */
export function importRecoveryKit(text: string, passphrase: string): ImportedRecoveryKit {
  const body = parseKit(text);
  if (body === undefined) throw new VkError('invalid_recovery_kit');
  const keys = openKeys(body.sealed, passphrase, body.kdf, label(body.installId, body.createdAt));
  if (keys === undefined) throw new VkError('invalid_recovery_kit');
  return { keys, installId: body.installId, createdAt: new Date(body.createdAt) };
}

function parseKit(text: string): KitBody | undefined {
  if (text.length > MAX_KIT_CHARS) return undefined;
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END, start + 1);
  if (start < 0 || end < 0) return undefined;
  const bytes = fromBase64(text.slice(start + BEGIN.length, end).replace(/\s+/g, ''));
  if (bytes === undefined) return undefined;
  try {
    return validateBody(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)));
  } catch {
    return undefined;
  }
}

function validateBody(value: unknown): KitBody | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { format, v, installId, createdAt, kdf, sealed } = value as Record<string, unknown>;
  const params = parseKdfParams(kdf);
  if (format !== FORMAT || v !== VERSION || params === undefined) return undefined;
  if (typeof installId !== 'string' || !INSTALL_ID.test(installId)) return undefined;
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) return undefined;
  if (typeof sealed !== 'string') return undefined;
  return { format, v, installId, createdAt, kdf: params, sealed };
}
