/**
 * Why a waiting request may no longer be released: the engine locked, agents were paused, or the
 * token was revoked or ran out. Checked right before an allowed approval releases anything.
 */
import { VkError } from '../../shared/errors.js';
import type { TokenRecord } from '../agent/agent-services.js';

export interface StaleInputs {
  readonly locked: boolean;
  readonly paused: boolean;
  readonly record: TokenRecord | undefined;
  readonly now: number;
}

export function staleReason(s: StaleInputs): VkError | undefined {
  if (s.locked) return new VkError('vault_locked');
  if (s.paused) return new VkError('agents_paused');
  if (s.record === undefined || s.record.revokedAt !== null || s.record.expiresAt <= s.now) return new VkError('invalid_token');
  return undefined;
}
