import { VkError } from '../../shared/errors.js';
import type { TokenInput } from '../../shared/model.js';
import type { TokenService } from '../agent/agent-services.js';
import type { Handlers } from './admin-service.js';
import { obj, optStr, str } from './params.js';

type TokenMethods = 'createToken' | 'listTokens' | 'revokeToken' | 'revokeAllTokens';

const LIST_FILTERS = ['active', 'expired', 'revoked', 'all'] as const;
type ListFilter = (typeof LIST_FILTERS)[number];

export interface TokenHandlerDeps {
  readonly tokens: TokenService;
}

/**
 * The admin API's token methods. The grant for createToken is checked by AdminService before
 * this runs; the token service checks every field of the input and audits each change.
 */
export function tokenHandlers(deps: TokenHandlerDeps): Handlers<TokenMethods> {
  return {
    // The service validates the whole input as unknown JSON, field by field.
    createToken: async (p) => deps.tokens.create(obj(p, 'token') as unknown as TokenInput),
    listTokens: async (p) => deps.tokens.list(listFilter(optStr(p, 'status'))),
    revokeToken: async (p, ctx) => ({ revoked: await deps.tokens.revoke(str(p, 'tokenId'), `person via ${ctx.via}`) }),
    revokeAllTokens: async (_p, ctx) => ({ revoked: await deps.tokens.revokeAll(`person via ${ctx.via}`) }),
  };
}

function listFilter(value: string | undefined): ListFilter {
  if (value === undefined) return 'all';
  const found = LIST_FILTERS.find((f) => f === value);
  if (found === undefined) throw new VkError('invalid_request', `\`status\` must be one of ${LIST_FILTERS.join(', ')}`);
  return found;
}
