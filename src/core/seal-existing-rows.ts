/**
 * The one-time "seal existing rows" step after the upgrade to schema 5: rows written by an older
 * Valetkey have no MAC, and migration 5 ran before any key was loaded, so it left `seal_pending`
 * for the first unlock. The step is audited; a `seal_pending` that reappears after that audit
 * row exists was written by someone else (to have forged rows blessed) and is refused as tampering.
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
import { sealPaused } from './integrity/paused-setting.js';


export interface SealExistingRowsDeps {
  readonly db: Database;
  readonly settings: Settings;
  readonly seal: RowSeal;
  readonly ledger: AuditLedger;
}

export async function sealExistingRows({ db, settings, seal, ledger }: SealExistingRowsDeps): Promise<void> {
  if (settings.get(SETTING.sealPending) === undefined) return;
  await ledger.flush();
  if (ledger.query({ action: ROWS_SEALED_ACTION, limit: 1 }).rows.length > 0) {
    settings.delete(SETTING.sealPending);
    seal.report('settings', SETTING.sealPending);
    return;
  }
  // Rows and flag in one transaction; the audit row after it, so a crash in between cannot make
  // the next start mistake the leftover flag for a forged one.
  const counts = db.transaction(() => {
    const tokens = new TokenStore(db, seal).sealUnsealed(db);
    const deviceRequests = new DeviceStore(db).sealUnsealed((id, f) => seal.sign('device_requests', id, f));
    const approvals = new ApprovalStore(db).sealUnsealed((id, f) => seal.sign('approvals', id, f));
    const auditSinks = new AuditSinkStore(db, Date.now, seal).sealUnsealed();
    const pausedSetting = sealPaused(settings, seal);
    settings.delete(SETTING.sealPending);
    return { tokens, deviceRequests, approvals, auditSinks, settings: pausedSetting };
  })();
  await ledger.append({ actor: 'engine', action: ROWS_SEALED_ACTION, outcome: 'ok', detail: counts }).catch(() => undefined);
}
