/**
 * Writes a retention archive: rows fromSeq..toSeq as a JSON Lines export (the same code as any
 * export), fsynced, then its `.sig` (Ed25519 over the file's SHA-256). Both are written under a
 * temporary name and renamed into place, so a crash never leaves a half archive that looks whole.
 */
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { VkError } from '../../shared/errors.js';
import { fsyncDirectory, writeFileAtomic } from '../fs/atomic-file.js';
import type { AuditArchiveInfo, AuditExportSummary } from '../../shared/model.js';
import { openExportDatabase, writeAuditExport, type ExportMeta } from './audit-export.js';
import { signArchive, signaturePath, type ArchiveSigner } from './archive-signature.js';

export interface ArchiveTarget {
  readonly databaseFile: string;
  readonly archiveDir: string;
  readonly signer: ArchiveSigner;
  readonly meta: ExportMeta;
}

export interface WrittenArchive {
  readonly info: AuditArchiveInfo;
  readonly path: string;
  readonly summary: AuditExportSummary;
}

export const ARCHIVE_DIR_NAME = 'audit-archive';

export async function writeArchive(target: ArchiveTarget, fromSeq: number, toSeq: number): Promise<WrittenArchive> {
  mkdirSync(target.archiveDir, { recursive: true, mode: 0o700 });
  const file = `audit-${fromSeq}-${toSeq}.jsonl`;
  const path = join(target.archiveDir, file);
  const partial = `${path}.partial`;
  rmSync(partial, { force: true });
  try {
    const summary = await exportTo(target, partial, fromSeq, toSeq);
    if (summary.fromSeq !== fromSeq || summary.toSeq !== toSeq || summary.rows !== toSeq - fromSeq + 1) {
      throw new VkError('integrity_error', `rows ${fromSeq} to ${toSeq} are not all in the ledger; run \`valetkey audit verify\``);
    }
    const sha256 = await fileSha256(partial);
    const createdAt = new Date(target.meta.now()).toISOString();
    const sig = signArchive(target.signer, { file, sha256, fromSeq, toSeq, rows: summary.rows, createdAt });
    writeFileAtomic(signaturePath(path), `${JSON.stringify(sig, null, 2)}\n`, { overwrite: true });
    renameSync(partial, path);
    fsyncDirectory(target.archiveDir);
    return { info: { file, fromSeq, toSeq, sha256, createdAt }, path, summary };
  } catch (e) {
    rmSync(partial, { force: true });
    throw e;
  }
}

async function exportTo(target: ArchiveTarget, path: string, fromSeq: number, toSeq: number): Promise<AuditExportSummary> {
  const fd = openSync(path, 'wx', 0o600);
  const db = openExportDatabase(target.databaseFile);
  try {
    const out = createWriteStream('', { fd, autoClose: false });
    const summary = await writeAuditExport(db, { format: 'jsonl', fromSeq, toSeq }, out, target.meta);
    out.end();
    await once(out, 'finish');
    fsyncSync(fd);
    return summary;
  } finally {
    db.close();
    closeSync(fd);
  }
}

export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
