import { VkError } from '../../shared/errors.js';
import type { ApprovalDecision } from '../../shared/model.js';
import type { ApprovalBroker } from '../agent/agent-services.js';
import type { Handlers } from './admin-service.js';
import { listStatus } from './device-handlers.js';
import { optNum, str } from './params.js';

type ApprovalMethods = 'listApprovals' | 'decideApproval';

const DECISIONS: readonly string[] = ['allow_once', 'allow_for', 'deny'] satisfies readonly ApprovalDecision[];

/**
 * Admin API for approvals. This is the only way a decision reaches the broker: deciding is a
 * grant (ADMIN_METHODS), so the service has checked for a person before these run.
 */
export function approvalHandlers(broker: ApprovalBroker): Handlers<ApprovalMethods> {
  return {
    listApprovals: async (p) => broker.list(listStatus(p), optNum(p, 'limit')),
    decideApproval: async (p) => {
      const decision = str(p, 'decision');
      if (!DECISIONS.includes(decision)) throw new VkError('invalid_request', '`decision` must be allow_once, allow_for or deny');
      return broker.decide(str(p, 'approvalId'), decision as ApprovalDecision, optNum(p, 'minutes'));
    },
  };
}
