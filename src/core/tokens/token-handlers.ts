import { isVkError } from '../../shared/errors.js';
import type { TokenInfo } from '../../shared/model.js';
import type { TripwireService } from '../tripwires/tripwire-service.js';
import { validateTokenRules } from '../tripwires/token-rules-input.js';
import type { TokenService } from '../agent/agent-services.js';
import type { Handlers } from '../admin/admin-service.js';

type TokenMethods = 'createToken' | 'listTokens' | 'revokeToken' | 'revokeAllTokens';

export interface TokenHandlerDeps {
  readonly tokens: TokenService;
  readonly tripwires: Pick<TripwireService, 'setRules' | 'tripwiresOf'>;
}

/**
 * The admin API's token methods. The grant for createToken is checked by AdminService before
 * this runs; the token service checks every field of the input and audits each change.
 */
export function tokenHandlers(deps: TokenHandlerDeps): Handlers<TokenMethods> {
  return {
    // The schema checked the input's shape; the service checks names, ranges and refs, field by field.
    createToken: async (p, ctx) => {
      // Rules are checked before the token exists, so a bad rule leaves no token behind.
      const rules = validateTokenRules(p.token.rules);
      const created = await deps.tokens.create(p.token);
      return { ...created, token: { ...created.token, tripwires: await deps.tripwires.setRules(created.token.id, rules, ctx.via) } };
    },
    listTokens: async (p) => deps.tokens.list(p.status ?? 'all').map((t) => withTripwires(deps, t)),
    revokeToken: async (p, ctx) => ({ revoked: await deps.tokens.revoke(p.tokenId, `person via ${ctx.via}`) }),
    revokeAllTokens: async (_p, ctx) => ({ revoked: await deps.tokens.revokeAll(`person via ${ctx.via}`) }),
  };
}

/** While locked the sealed rules cannot be opened: the list still answers, without them. */
function withTripwires(deps: TokenHandlerDeps, token: TokenInfo): TokenInfo {
  try {
    return { ...token, tripwires: deps.tripwires.tripwiresOf(token.id) };
  } catch (e) {
    if (isVkError(e) && e.code === 'vault_locked') return token;
    throw e;
  }
}
