import type { AuditQuery } from '../../shared/model.js';
import type { Engine } from '../engine.js';
import { verifyAuditChain } from '../audit/audit-verifier.js';
import type { Handlers } from './admin-service.js';

type AuditMethods = 'queryAudit' | 'verifyAudit';

export function auditHandlers(engine: Engine): Handlers<AuditMethods> {
  return {
    queryAudit: async (p) => engine.ledger.query(p as AuditQuery),
    verifyAudit: async () => {
      await engine.ledger.flush();
      return verifyAuditChain(engine.db, (data, signature, keyId) => engine.verifyCheckpoint(data, signature, keyId));
    },
  };
}
