/**
 * Where the admin contract meets the features: every method's handler, from the folder that owns
 * it. Assembled here, above the folders, so src/core/admin imports none of them (a lint rule).
 */
import { AdminService, type Handlers } from './admin/admin-service.js';
import { approvalHandlers } from './admin/approval-handlers.js';
import { auditHandlers } from './admin/audit-handlers.js';
import { deviceHandlers } from './admin/device-handlers.js';
import { engineHandlers } from './admin/engine-handlers.js';
import { entryHandlers } from './admin/entry-handlers.js';
import { vaultHandlers } from './admin/vault-handlers.js';
import { auditOutHandlers } from './audit-out/audit-out-handlers.js';
import { backupHandlers } from './backup/backup-handlers.js';
import { dashboardHandlers } from './dashboard/dashboard-handlers.js';
import type { AdminEvent, AuditRecord } from '../shared/model.js';
import type { Engine } from './engine.js';
import { importHandlers } from './import/import-handlers.js';
import { uploadHandlers } from './import/upload-handlers.js';
import { tokenHandlers } from './tokens/token-handlers.js';
import { tripwireHandlers } from './tripwires/tripwire-handlers.js';

/** Each folder's handlers get the parts of the engine they use, named in their deps interface. */
export function adminHandlers(engine: Engine): Handlers {
  const audit = (record: AuditRecord) => engine.audit(record);
  const emit = (event: AdminEvent) => engine.emit(event);
  const { vaults, db, uploads, tokens, tripwires } = engine;
  return {
    ...engineHandlers(engine),
    ...vaultHandlers(engine),
    ...entryHandlers(engine),
    ...auditHandlers(engine),
    ...tokenHandlers({ tokens, tripwires }),
    ...tripwireHandlers({ tokens, tripwires, queryAudit: (q) => engine.ledger.query(q), audit }),
    ...deviceHandlers(engine.device),
    ...approvalHandlers(engine.approvals),
    ...dashboardHandlers({ dashboard: engine.dashboard, audit }),
    ...importHandlers({ vaults, db, uploads, audit, emit }),
    ...backupHandlers({ vaults, db, clock: engine.clock, backupKdfLimits: engine.backupKdfLimits, audit, emit }),
    ...auditOutHandlers(engine),
    ...uploadHandlers({ uploads, audit }),
  };
}

/** The engine's admin service, as every transport dispatches to it. */
export function createAdminService(engine: Engine): AdminService {
  return new AdminService({ grants: engine.grants, audit: (record) => engine.audit(record) }, adminHandlers(engine));
}
