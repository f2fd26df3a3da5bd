/**
 * Reads a JSON Lines export (or retention archive) from disk as a stream, hashing its bytes for
 * the archive signature while the lines go through the ExportVerifier. Works against the engine's
 * ledger (ledgerReference) or, for an archive alone, with nothing but the key in its `.sig`.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { AuditExportVerification } from '../../shared/model.js';
import { checkpointMessage, toHex } from '../audit/audit-chain.js';
import { AuditRows } from '../audit/audit-rows.js';
import type { CheckpointVerifier } from '../audit/audit-verifier.js';
import { anchorIsSigned, readAnchor } from '../audit/audit-anchor.js';
import { archiveSignatureValid, embeddedKeyVerifier, readArchiveSignature, type ArchiveSignature } from './archive-signature.js';
import { ExportProblem, ExportVerifier, type ExportReference } from './export-verifier.js';

type SignatureState = AuditExportVerification['archiveSignature'];

export async function verifyExportFile(path: string, makeRef: (sig: ArchiveSignature | undefined) => ExportReference): Promise<AuditExportVerification> {
  if (!isFile(path)) throw new VkError('not_found', 'there is no export file at that path');
  const sig = readArchiveSignature(path);
  const ref = makeRef(sig);
  const verifier = new ExportVerifier(ref);
  const hash = createHash('sha256');
  const input = createReadStream(path);
  input.on('data', (chunk) => hash.update(chunk));
  const problem = await feedLines(createInterface({ input, crlfDelay: Infinity }), verifier);
  const state = signatureState(sig, hash.digest('hex'), ref.verify, verifier);
  const keyId = state === 'valid' ? { keyId: sig?.keyId } : {};
  if (problem !== undefined) return { ...keyId, ...verifier.result(state, problem) };
  try {
    return { ...keyId, ...verifier.finish(state) };
  } catch (e) {
    if (e instanceof ExportProblem) return { ...keyId, ...verifier.result(state, e) };
    throw e;
  }
}

/** Every line is read (the archive signature covers the whole file); checking stops at the first problem. */
async function feedLines(lines: AsyncIterable<string>, verifier: ExportVerifier): Promise<ExportProblem | undefined> {
  let problem: ExportProblem | undefined;
  for await (const line of lines) {
    if (problem !== undefined) continue;
    try {
      verifier.line(line);
    } catch (e) {
      if (!(e instanceof ExportProblem)) throw e;
      problem = e;
    }
  }
  return problem;
}

function signatureState(sig: ArchiveSignature | undefined, sha256: string, verify: CheckpointVerifier, verifier: ExportVerifier): SignatureState {
  if (sig === undefined) return 'absent';
  const h = verifier.header();
  if (h === undefined || sig.fromSeq !== h.fromSeq || sig.toSeq !== h.toSeq || sig.rows !== h.rows) return 'invalid';
  return archiveSignatureValid(sig, sha256, verify) ? 'valid' : 'invalid';
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Compare with the engine's ledger: rows still there, signed checkpoints, the signed anchor. */
export function ledgerReference(db: Database, verify: CheckpointVerifier): ExportReference {
  const anchor = readAnchor(db);
  if (anchor !== undefined && !anchorIsSigned(anchor, verify)) {
    throw new VkError('integrity_error', `the retention anchor at row ${anchor.seq} has an invalid signature; run \`valetkey audit verify\``);
  }
  const rows = new AuditRows(db);
  const checkpoint = db.prepare<[number], { hash: Uint8Array; key_id: string; signature: Uint8Array }>(
    'SELECT hash, key_id, signature FROM audit_checkpoints WHERE seq = ?',
  );
  return {
    storedHash: (seq) => rows.storedHash(seq),
    checkpointHash: (seq) => {
      const c = checkpoint.get(seq);
      if (c === undefined) return undefined;
      const signed = safe(() => verify(checkpointMessage(seq, toHex(c.hash)), new Uint8Array(c.signature), c.key_id));
      return signed ? new Uint8Array(c.hash) : undefined;
    },
    anchor,
    hasLedger: true,
    verify,
  };
}

/** An archive alone: the chain, its checkpoints and its `.sig`, checked with the key the `.sig` names. */
export function offlineReference(sig: ArchiveSignature | undefined): ExportReference {
  if (sig === undefined) throw new VkError('invalid_request', 'checking an archive alone needs its .sig file next to it');
  return { storedHash: () => undefined, checkpointHash: () => undefined, anchor: undefined, hasLedger: false, verify: embeddedKeyVerifier(sig) };
}

function safe(f: () => boolean): boolean {
  try {
    return f() === true;
  } catch {
    return false;
  }
}
