/**
 * The one-time "seal existing rows" step after an upgrade: rows written by an older Valetkey have
 * no MAC, and migrations run before any key is loaded, so they leave `seal_pending` for the first
 * unlock ('1' from migration 6: every granting row; '7' from migration 7: what it added). The step
 * is audited with the schema it covers; a `seal_pending` that reappears after such an audit row
 * exists was written by someone else (to have forged rows blessed) and is refused as tampering.
 */
import { ROWS_SEALED_ACTION } from './audit/audit-head.js';
import type { AuditLedger } from './audit/audit-ledger.js';
import { SETTING, type Settings } from './config/settings.js';
import { ApprovalStore } from './approvals/approval-store.js';
import { AuditSinkStore } from './audit-out/sink-store.js';
import { DeviceStore } from './device/device-store.js';
import type { Database } from './store/database.js';
import { TokenStore } from './tokens/token-store.js';
import type { RowSeal } from './integrity/row-seal.js';
import { TokenGuardStore } from './tripwires/token-guard-store.js';
import { sealPaused } from './integrity/paused-setting.js';
import { sealAgentPort } from './integrity/agent-port-setting.js';
import { sealRetentionPolicy } from './audit-out/retention-policy.js';


export interface SealExistingRowsDeps {
  readonly db: Database;
  readonly settings: Settings;
  readonly seal: RowSeal;
  readonly ledger: AuditLedger;
}

/** The schema the sealing step covers; its audit row says so, and set-up's row too. */
export const SEALED_SCHEMA = 7;

/** Whether an earlier step (or set-up) already sealed what this request asks for. */
function alreadySealed(ledger: AuditLedger, pending: string): boolean {
  const rows = ledger.query({ action: ROWS_SEALED_ACTION, limit: 100 }).rows;
  if (pending !== String(SEALED_SCHEMA)) return rows.length > 0;
  return rows.some((r) => (r.detail as { schema?: unknown } | null)?.schema === SEALED_SCHEMA);
}

export async function sealExistingRows({ db, settings, seal, ledger }: SealExistingRowsDeps): Promise<void> {
  const pending = settings.get(SETTING.sealPending);
  if (pending === undefined) return;
  await ledger.flush();
  if (alreadySealed(ledger, pending)) {
    settings.delete(SETTING.sealPending);
    seal.report('settings', SETTING.sealPending);
    return;
  }
  const counts = pending === String(SEALED_SCHEMA) ? sealSchema7(db, settings, seal) : sealAll(db, settings, seal);
  await ledger.append({ actor: 'engine', action: ROWS_SEALED_ACTION, outcome: 'ok', detail: { ...counts, schema: SEALED_SCHEMA } }).catch(() => undefined);
}

/** What migration 7 added: the retention policy and the agent port. */
function sealSchema7(db: Database, settings: Settings, seal: RowSeal): Record<string, number> {
  return db.transaction(() => {
    const counts = { auditRetention: sealRetentionPolicy(db, seal), settings: sealAgentPort(settings, seal), guardedTokens: adoptGuards(db, seal) };
    settings.delete(SETTING.sealPending);
    return counts;
  })();
}

function adoptGuards(db: Database, seal: RowSeal): number {
  return new TokenStore(db, seal).adoptGuards(db, new TokenGuardStore(db).tokenIds());
}

function sealAll(db: Database, settings: Settings, seal: RowSeal): Record<string, number> {
  // Rows and flag in one transaction; the audit row after it, so a crash in between cannot make
  // the next start mistake the leftover flag for a forged one.
  return db.transaction(() => {
    const tokens = new TokenStore(db, seal).sealUnsealed(db);
    const deviceRequests = new DeviceStore(db).sealUnsealed((id, f) => seal.sign('device_requests', id, f));
    const approvals = new ApprovalStore(db).sealUnsealed((id, f) => seal.sign('approvals', id, f));
    const auditSinks = new AuditSinkStore(db, Date.now, seal).sealUnsealed();
    const pausedSetting = sealPaused(settings, seal) + sealAgentPort(settings, seal);
    const auditRetention = sealRetentionPolicy(db, seal);
    const guardedTokens = adoptGuards(db, seal);
    settings.delete(SETTING.sealPending);
    return { tokens, deviceRequests, approvals, auditSinks, settings: pausedSetting, auditRetention, guardedTokens };
  })();
}
