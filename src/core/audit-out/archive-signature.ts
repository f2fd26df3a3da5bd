/**
 * The `.sig` file next to a retention archive: an Ed25519 signature, by the engine key, over the
 * SHA-256 of the archive file. The archive's first line says which rows it holds and the hash
 * before them, so the signature covers the range too. The public key travels in the file so an
 * archive can be checked with nothing else (`valetkey audit verify --export FILE --offline`);
 * compare its key id with the engine's (`/jwks.json`, or `valetkey audit verify --export` online).
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { VkError } from '../../shared/errors.js';
import type { CheckpointVerifier } from '../audit/audit-verifier.js';

export const ARCHIVE_SIGNATURE_TYPE = 'valetkey-audit-archive-signature';

export interface ArchiveSignature {
  readonly type: typeof ARCHIVE_SIGNATURE_TYPE;
  readonly version: 1;
  readonly file: string;
  readonly sha256: string;
  readonly fromSeq: number;
  readonly toSeq: number;
  readonly rows: number;
  readonly keyId: string;
  readonly publicJwk: JWK;
  /** base64url Ed25519 signature over archiveMessage(sha256). */
  readonly signature: string;
  readonly createdAt: string;
}

export interface ArchiveSigner {
  readonly keyId: string;
  readonly publicJwk: JWK;
  sign(data: Uint8Array): Uint8Array;
}

export function archiveMessage(sha256Hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(`valetkey-audit-archive-v1\n${sha256Hex}`, 'utf8'));
}

export function signArchive(
  signer: ArchiveSigner,
  info: Pick<ArchiveSignature, 'file' | 'sha256' | 'fromSeq' | 'toSeq' | 'rows' | 'createdAt'>,
): ArchiveSignature {
  const signature = Buffer.from(signer.sign(archiveMessage(info.sha256))).toString('base64url');
  const { kty, crv, x } = signer.publicJwk;
  return { type: ARCHIVE_SIGNATURE_TYPE, version: 1, ...info, keyId: signer.keyId, publicJwk: { kty, crv, x }, signature };
}

export function signaturePath(archivePath: string): string {
  return `${archivePath}.sig`;
}

/** undefined when there is no `.sig` beside the file; invalid_request when it is not one of ours. */
export function readArchiveSignature(archivePath: string): ArchiveSignature | undefined {
  const path = signaturePath(archivePath);
  if (!existsSync(path)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new VkError('invalid_request', 'the .sig file next to the export is not JSON');
  }
  const s = parsed as Partial<ArchiveSignature> | null;
  if (s?.type !== ARCHIVE_SIGNATURE_TYPE || typeof s.sha256 !== 'string' || typeof s.signature !== 'string' || typeof s.keyId !== 'string') {
    throw new VkError('invalid_request', 'the .sig file next to the export is not a Valetkey archive signature');
  }
  return s as ArchiveSignature;
}

export function archiveSignatureValid(sig: ArchiveSignature, fileSha256: string, verifyWith: CheckpointVerifier): boolean {
  if (sig.sha256 !== fileSha256) return false;
  try {
    return verifyWith(archiveMessage(fileSha256), new Uint8Array(Buffer.from(sig.signature, 'base64url')), sig.keyId) === true;
  } catch {
    return false;
  }
}

/** RFC 7638 thumbprint of an Ed25519 JWK (members crv, kty, x in that order). */
export function ed25519Thumbprint(jwk: JWK): string {
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

/**
 * Checks signatures with the key carried in the `.sig` file, only if its key id is that key's
 * thumbprint. This proves the archive is intact and signed by that key, not that the key is the
 * engine's: the caller prints the key id for the person to compare.
 */
export function embeddedKeyVerifier(sig: ArchiveSignature): CheckpointVerifier {
  const jwk = sig.publicJwk;
  if (jwk?.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || ed25519Thumbprint(jwk) !== sig.keyId) {
    return () => false;
  }
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  return (data, signature, keyId) => keyId === sig.keyId && signature.length === 64 && verify(null, data, key, signature);
}
