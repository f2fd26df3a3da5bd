/**
 * Retention: archive, then delete. Rows past the policy are first written to a signed archive
 * (audit-archive.ts), the archive is checked against the ledger (a broken chain is never archived
 * and deleted: that would destroy the evidence), the signed anchor moves to the last archived row,
 * and only then are the rows deleted, in small transactions so agents never wait long.
 */
import { join } from 'node:path';
import { VkError } from '../../shared/errors.js';
import type { ActorKind, AuditRetentionInfo, AuditRetentionRun } from '../../shared/model.js';
import type { AuditOutEngine } from './audit-out-engine.js';
import { VALETKEY_VERSION as ENGINE_VERSION } from '../../shared/version.js';
import { toHex } from '../audit/audit-chain.js';
import { anchorMessage, readAnchor } from '../audit/audit-anchor.js';
import { ARCHIVE_DIR_NAME, writeArchive, type WrittenArchive } from './audit-archive.js';
import { listArchives, readRetentionPolicy, retentionCut } from './retention-policy.js';
import { ledgerReference, verifyExportFile } from './verify-export-file.js';

const DELETE_CHUNK = 20_000;

export function archiveDir(engine: AuditOutEngine): string {
  return join(engine.paths.dataDir, ARCHIVE_DIR_NAME);
}

export function retentionInfo(engine: AuditOutEngine): AuditRetentionInfo {
  const anchor = readAnchor(engine.db);
  return {
    ...readRetentionPolicy(engine.db, engine.seal),
    archiveDir: archiveDir(engine),
    anchor: anchor === undefined ? null : { seq: anchor.seq, hash: toHex(anchor.hash), at: new Date(anchor.ts).toISOString() },
    archives: listArchives(engine.db),
  };
}

const running = new WeakMap<AuditOutEngine, Promise<AuditRetentionRun>>();

/** One run at a time per engine; a second caller waits for the first and gets its answer. */
export function runAuditRetention(engine: AuditOutEngine, actor: ActorKind, via: string): Promise<AuditRetentionRun> {
  const current = running.get(engine);
  if (current !== undefined) return current;
  const run = retain(engine, actor, via).finally(() => running.delete(engine));
  running.set(engine, run);
  return run;
}

async function retain(engine: AuditOutEngine, actor: ActorKind, via: string): Promise<AuditRetentionRun> {
  const signer = engine.signer;
  if (signer === undefined) throw new VkError('vault_locked');
  await engine.ledger.flush();
  const anchorSeq = readAnchor(engine.db)?.seq ?? 0;
  const cut = retentionCut(engine.ledger.rows, readRetentionPolicy(engine.db, engine.seal), engine.clock(), { anchorSeq, sinkCursor: engine.auditSinks.minEnabledCursor() });
  if (cut <= anchorSeq) return { deleted: 0, archive: null, anchorSeq: anchorSeq || null, note: 'nothing is older than the retention policy allows' };
  const archive = await writeArchive({ databaseFile: engine.paths.database, archiveDir: archiveDir(engine), signer, meta: { engineVersion: ENGINE_VERSION, now: engine.clock } }, anchorSeq + 1, cut);
  await checkArchive(engine, archive);
  moveAnchor(engine, archive);
  const deleted = await deleteUpTo(engine, cut);
  await engine.audit({
    actor,
    action: 'audit.retention',
    outcome: 'ok',
    detail: { via, fromSeq: archive.info.fromSeq, toSeq: cut, rows: deleted, archive: archive.info.file },
  });
  return { deleted, archive: archive.info, anchorSeq: cut };
}

async function checkArchive(engine: AuditOutEngine, archive: WrittenArchive): Promise<void> {
  const verify = (data: Uint8Array, sig: Uint8Array, keyId: string) => engine.verifyCheckpoint(data, sig, keyId);
  const result = await verifyExportFile(archive.path, () => ledgerReference(engine.db, verify));
  if (!result.ok || result.archiveSignature !== 'valid') {
    throw new VkError('integrity_error', `the audit chain does not verify at row ${result.firstBadSeq ?? '?'}; nothing was deleted. Run \`valetkey audit verify\``);
  }
}

function moveAnchor(engine: AuditOutEngine, archive: WrittenArchive): void {
  const signer = engine.signer;
  const lastHash = archive.summary.lastHash;
  if (signer === undefined) throw new VkError('vault_locked');
  if (lastHash === null) throw new VkError('internal_error');
  const hash = Buffer.from(lastHash, 'hex');
  const seq = archive.info.toSeq;
  const now = engine.clock();
  engine.db.transaction(() => {
    const { lastInsertRowid } = engine.db
      .prepare('INSERT INTO audit_archives (file, from_seq, to_seq, prev_hash, last_hash, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(archive.info.file, archive.info.fromSeq, seq, Buffer.from(archive.summary.prevHash, 'hex'), hash, archive.info.sha256, now);
    engine.db
      .prepare(
        `INSERT INTO audit_anchor (id, seq, hash, ts, key_id, signature, archive_id) VALUES (1, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, ts = excluded.ts, key_id = excluded.key_id,
           signature = excluded.signature, archive_id = excluded.archive_id`,
      )
      .run(seq, hash, now, signer.keyId, signer.sign(anchorMessage(seq, hash)), Number(lastInsertRowid));
  })();
}

/** Small transactions with a turn of the event loop between them: appends never wait long. */
async function deleteUpTo(engine: AuditOutEngine, cut: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const changes = engine.ledger.rows.deleteThrough(cut, DELETE_CHUNK);
    deleted += changes;
    if (changes < DELETE_CHUNK) return deleted;
    await new Promise((resolve) => setImmediate(resolve));
  }
}
