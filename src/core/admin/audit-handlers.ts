import type { AuditLedger } from '../audit/audit-ledger.js';
import type { Database } from '../store/database.js';
import { verifyAuditFromAnchor } from '../audit/audit-anchor.js';
import type { Handlers } from './admin-service.js';

type AuditMethods = 'queryAudit' | 'verifyAudit';

/** The ledger to query and verify, its database (for the anchor and checkpoints), and the checkpoint key. */
export interface AuditEngine {
  readonly db: Database;
  readonly ledger: Pick<AuditLedger, 'flush' | 'query'>;
  verifyCheckpoint(data: Uint8Array, signature: Uint8Array, keyId: string): boolean;
}

export function auditHandlers(engine: AuditEngine): Handlers<AuditMethods> {
  return {
    queryAudit: async (p) => engine.ledger.query(p),
    verifyAudit: async () => {
      await engine.ledger.flush();
      // After retention the chain starts at the signed anchor (the last archived row).
      return verifyAuditFromAnchor(engine.db, (data, signature, keyId) => engine.verifyCheckpoint(data, signature, keyId));
    },
  };
}
