/**
 * The admin API's tripwire methods. Pausing a token only makes things safer (safe class);
 * resuming it or changing its rules can widen what an agent gets away with, so both are grants
 * (checked by AdminService before these run). Each change is audited as the person's.
 */
import { VkError } from '../../shared/errors.js';
import type { Engine } from '../engine.js';
import type { Handlers } from '../admin/admin-service.js';
import { listAlerts } from './alert-context.js';
import { validateTokenRules } from './token-rules-input.js';

type TripwireMethods = 'listAlerts' | 'pauseToken' | 'resumeToken' | 'setTokenRules';

export function tripwireHandlers(engine: Engine): Handlers<TripwireMethods> {
  const person = (action: string, tokenId: string, detail: Record<string, unknown>) => engine.audit({ actor: 'person', action, outcome: 'ok', tokenId, detail });
  const known = (tokenId: string): string => {
    if (engine.tokens.record(tokenId) === undefined) throw new VkError('not_found', 'no live token with that id');
    return tokenId;
  };
  return {
    listAlerts: async (p) => listAlerts((q) => engine.ledger.query(q), p.limit ?? 50),
    pauseToken: async (p, ctx) => {
      const tokenId = known(p.tokenId);
      engine.tripwires.pause(tokenId);
      await person('token.pause', tokenId, { via: ctx.via });
      return engine.tripwires.tripwiresOf(tokenId);
    },
    resumeToken: async (p, ctx) => {
      const tokenId = known(p.tokenId);
      engine.tripwires.resume(tokenId);
      await person('token.resume', tokenId, { via: ctx.via });
      return engine.tripwires.tripwiresOf(tokenId);
    },
    setTokenRules: async (p, ctx) => {
      const tokenId = known(p.tokenId);
      return engine.tripwires.setRules(tokenId, validateTokenRules(p.rules), ctx.via);
    },
  };
}
