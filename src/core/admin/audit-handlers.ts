import type { Engine } from '../engine.js';
import { verifyAuditFromAnchor } from '../audit-out/audit-anchor.js';
import type { Handlers } from './admin-service.js';

type AuditMethods = 'queryAudit' | 'verifyAudit';

export function auditHandlers(engine: Engine): Handlers<AuditMethods> {
  return {
    queryAudit: async (p) => engine.ledger.query(p),
    verifyAudit: async () => {
      await engine.ledger.flush();
      // After retention the chain starts at the signed anchor (the last archived row).
      return verifyAuditFromAnchor(engine.db, (data, signature, keyId) => engine.verifyCheckpoint(data, signature, keyId));
    },
  };
}
