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
import { vaultTransferHandlers } from './backup/vault-transfer-handlers.js';
import { dashboardHandlers } from './dashboard/dashboard-handlers.js';
import type { Engine } from './engine.js';
import { uploadHandlers } from './import/upload-handlers.js';
import { tokenHandlers } from './tokens/token-handlers.js';
import { tripwireHandlers } from './tripwires/tripwire-handlers.js';

export function adminHandlers(engine: Engine): Handlers {
  return {
    ...engineHandlers(engine),
    ...vaultHandlers(engine),
    ...entryHandlers(engine),
    ...auditHandlers(engine),
    ...tokenHandlers({ tokens: engine.tokens, tripwires: engine.tripwires }),
    ...tripwireHandlers(engine),
    ...deviceHandlers(engine.device),
    ...approvalHandlers(engine.approvals),
    ...dashboardHandlers(engine),
    ...vaultTransferHandlers(engine),
    ...auditOutHandlers(engine),
    ...uploadHandlers(engine),
  };
}

/** The engine's admin service, as every transport dispatches to it. */
export function createAdminService(engine: Engine): AdminService {
  return new AdminService({ grants: engine.grants, audit: (record) => engine.audit(record) }, adminHandlers(engine));
}
