/**
 * The admin API's tripwire methods. Pausing a token only makes things safer (safe class);
 * resuming it or changing its rules can widen what an agent gets away with, so both are grants
 * (checked by AdminService before these run). Each change is audited as the person's.
 */
import { VkError } from '../../shared/errors.js';
import type { Handlers, RecordAudit } from '../admin/admin-service.js';
import type { AuditPage, AuditQuery } from '../../shared/model.js';
import type { TokenService } from '../agent/agent-services.js';
import { listAlerts } from './alert-context.js';
import { validateTokenRules } from './token-rules-input.js';
import type { TripwireService } from './tripwire-service.js';

/** What the tripwire methods reach: live tokens (to refuse unknown ids), the tripwires, the ledger's alert rows, the audit. */
export interface TripwireHandlerDeps {
  readonly tokens: Pick<TokenService, 'record'>;
  readonly tripwires: Pick<TripwireService, 'pause' | 'resume' | 'tripwiresOf' | 'setRules'>;
  readonly queryAudit: (q: AuditQuery) => AuditPage;
  readonly audit: RecordAudit;
}

type TripwireMethods = 'listAlerts' | 'pauseToken' | 'resumeToken' | 'setTokenRules';

export function tripwireHandlers(deps: TripwireHandlerDeps): Handlers<TripwireMethods> {
  const person = (action: string, tokenId: string, detail: Record<string, unknown>) => deps.audit({ actor: 'person', action, outcome: 'ok', tokenId, detail });
  const known = (tokenId: string): string => {
    if (deps.tokens.record(tokenId) === undefined) throw new VkError('not_found', 'no live token with that id');
    return tokenId;
  };
  return {
    listAlerts: async (p) => listAlerts(deps.queryAudit, p.limit ?? 50),
    pauseToken: async (p, ctx) => {
      const tokenId = known(p.tokenId);
      deps.tripwires.pause(tokenId);
      await person('token.pause', tokenId, { via: ctx.via });
      return deps.tripwires.tripwiresOf(tokenId);
    },
    resumeToken: async (p, ctx) => {
      const tokenId = known(p.tokenId);
      deps.tripwires.resume(tokenId);
      await person('token.resume', tokenId, { via: ctx.via });
      return deps.tripwires.tripwiresOf(tokenId);
    },
    setTokenRules: async (p, ctx) => {
      const tokenId = known(p.tokenId);
      return deps.tripwires.setRules(tokenId, validateTokenRules(p.rules), ctx.via);
    },
  };
}
