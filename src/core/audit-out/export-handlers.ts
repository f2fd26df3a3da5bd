/**
 * Admin API handlers for exports, export verification and retention. Checks and downloads read the
 * audit log, which the session secret may already read; an export to a file writes where the caller
 * says, and changing or running retention deletes audit rows, so those are grants.
 */
import { openNewPrivateFile } from '../fs/atomic-file.js';
import { closeSync, createWriteStream, fsyncSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { isAbsolute } from 'node:path';
import { VkError } from '../../shared/errors.js';
import { definedOnly } from '../../shared/defined-only.js';
import { AUDIT_DOWNLOAD_MAX_ROWS, type AuditExportDownload, type AuditExportRequest, type AuditExportSummary } from '../../shared/model.js';
import type { AuditOutEngine } from './audit-out-engine.js';
import { VALETKEY_VERSION as ENGINE_VERSION } from '../../shared/version.js';
import type { Handlers } from '../admin/admin-service.js';
import { openExportDatabase, writeAuditExport } from './audit-export.js';
import { retentionInfo, runAuditRetention } from './audit-retention.js';
import { formatterFor } from './export-formats.js';
import type { ExportNames } from './export-row.js';
import { checkExportRequest } from './export-plan.js';
import { checkRetentionPolicy, writeRetentionPolicy } from './retention-policy.js';
import { ledgerReference, verifyExportFile } from './verify-export-file.js';

type ExportMethods = 'exportAudit' | 'downloadAuditExport' | 'verifyAuditExport' | 'getAuditRetention' | 'setAuditRetention' | 'runAuditRetention';

export function exportHandlers(engine: AuditOutEngine): Handlers<ExportMethods> {
  return {
    exportAudit: async (p) => {
      const request = exportRequest(p);
      await engine.ledger.flush();
      return exportToFile(engine, request, absolutePath(p.path));
    },
    downloadAuditExport: async (p) => {
      const request = exportRequest(p);
      await engine.ledger.flush();
      return exportToText(engine, request);
    },
    verifyAuditExport: async (p) => {
      const path = absolutePath(p.path);
      if (engine.signer === undefined) throw new VkError('vault_locked');
      await engine.ledger.flush();
      const verify = (data: Uint8Array, sig: Uint8Array, keyId: string) => engine.verifyCheckpoint(data, sig, keyId);
      return verifyExportFile(path, () => ledgerReference(engine.db, verify));
    },
    getAuditRetention: async () => retentionInfo(engine),
    setAuditRetention: async (p, ctx) => {
      const policy = checkRetentionPolicy(p);
      writeRetentionPolicy(engine.db, engine.seal, policy, engine.clock());
      await engine.audit({ actor: 'person', action: 'audit.retention_set', outcome: 'ok', detail: { via: ctx.via, keepDays: policy.keepDays, keepRows: policy.keepRows } });
      return retentionInfo(engine);
    },
    runAuditRetention: async (_p, ctx) => runAuditRetention(engine, 'person', ctx.via),
  };
}

/** The export's own fields (not the grant or path), checked for ranges the schema leaves to the engine. */
function exportRequest(p: AuditExportRequest): AuditExportRequest {
  const { format, fromSeq, toSeq, filter } = p;
  const request = { format, ...definedOnly({ fromSeq, toSeq, filter }) };
  checkExportRequest(request);
  return request;
}

function absolutePath(path: string): string {
  if (!isAbsolute(path)) throw new VkError('invalid_request', '`path` must be an absolute path on the engine’s machine');
  return path;
}

/** A new file only (never overwrites), 0600, fsynced; removed again if the export fails. */
async function exportToFile(engine: AuditOutEngine, request: AuditExportRequest, path: string): Promise<AuditExportSummary> {
  const fd = openNewPrivateFile(path);
  const db = openExportDatabase(engine.paths.database);
  try {
    const out = createWriteStream('', { fd, autoClose: false });
    const summary = await writeAuditExport(db, request, out, { engineVersion: ENGINE_VERSION, now: engine.clock });
    out.end();
    await once(out, 'finish');
    fsyncSync(fd);
    return { ...summary, path };
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  } finally {
    db.close();
    closeSync(fd);
  }
}

/** The export in memory for a download: bounded by rows, refused before the first row past the bound. */
async function exportToText(engine: AuditOutEngine, request: AuditExportRequest): Promise<AuditExportDownload> {
  const parts: string[] = [];
  const out = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      parts.push(chunk);
      done();
    },
  });
  const db = openExportDatabase(engine.paths.database);
  try {
    const meta = { engineVersion: ENGINE_VERSION, now: engine.clock, maxRows: AUDIT_DOWNLOAD_MAX_ROWS, names: currentNames(engine) };
    const summary = await writeAuditExport(db, request, out, meta);
    const { contentType } = formatterFor(request.format, ENGINE_VERSION);
    return { ...summary, content: parts.join(''), contentType, fileName: downloadName(request, engine.clock()) };
  } finally {
    db.close();
  }
}

/** Names as the engine knows them now; while locked they cannot be read, and the ids stand alone. */
function currentNames(engine: AuditOutEngine): ExportNames {
  if (engine.locked) return { vaults: new Map(), entries: new Map() };
  const vaults = new Map(engine.vaults.listVaults().map((v) => [v.id, v.name] as const));
  const entries = new Map(engine.vaults.listEntries().map((e) => [e.id, e.title] as const));
  return { vaults, entries };
}

function downloadName(request: AuditExportRequest, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const extension = request.format === 'ocsf' ? 'ocsf.jsonl' : request.format === 'cef' ? 'cef.log' : request.format;
  return `valetkey-audit-${stamp}.${extension}`;
}

