import type { ApprovalBroker } from '../agent/agent-services.js';
import type { Handlers } from './admin-service.js';

type ApprovalMethods = 'listApprovals' | 'decideApproval';

/**
 * Admin API for approvals. This is the only way a decision reaches the broker: deciding is a
 * grant (ADMIN_METHODS), so the service has checked for a person before these run.
 */
export function approvalHandlers(broker: ApprovalBroker): Handlers<ApprovalMethods> {
  return {
    listApprovals: async (p) => broker.list(p.status ?? 'pending', p.limit),
    decideApproval: async (p) => broker.decide(p.approvalId, p.decision, p.minutes),
  };
}
