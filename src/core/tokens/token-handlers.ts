import { isVkError, VkError } from '../../shared/errors.js';
import type { TokenInfo, TokenInput } from '../../shared/model.js';
import type { TripwireService } from '../tripwires/tripwire-service.js';
import { validateTokenRules } from '../tripwires/token-rules-input.js';
import type { TokenService } from '../agent/agent-services.js';
import type { Handlers } from '../admin/admin-service.js';
import { obj, optStr, str } from '../admin/params.js';

type TokenMethods = 'createToken' | 'listTokens' | 'revokeToken' | 'revokeAllTokens';

const LIST_FILTERS = ['active', 'expired', 'revoked', 'all'] as const;
type ListFilter = (typeof LIST_FILTERS)[number];

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
    // The service validates the whole input as unknown JSON, field by field.
    createToken: async (p, ctx) => {
      const input = obj(p, 'token');
      // Rules are checked before the token exists, so a bad rule leaves no token behind.
      const rules = validateTokenRules(input['rules']);
      const created = await deps.tokens.create(input as unknown as TokenInput);
      return { ...created, token: { ...created.token, tripwires: await deps.tripwires.setRules(created.token.id, rules, ctx.via) } };
    },
    listTokens: async (p) => deps.tokens.list(listFilter(optStr(p, 'status'))).map((t) => withTripwires(deps, t)),
    revokeToken: async (p, ctx) => ({ revoked: await deps.tokens.revoke(str(p, 'tokenId'), `person via ${ctx.via}`) }),
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

function listFilter(value: string | undefined): ListFilter {
  if (value === undefined) return 'all';
  const found = LIST_FILTERS.find((f) => f === value);
  if (found === undefined) throw new VkError('invalid_request', `\`status\` must be one of ${LIST_FILTERS.join(', ')}`);
  return found;
}
