/** Params of the token, tripwire, device-request and approval methods. Ranges and refs are checked by the engine's token and rule checks. */
import { z } from 'zod';
import { PROXY_OTHER_HOSTS, TOKEN_ACTIONS } from '../model/agent-access.js';
import { RULE_ACTIONS } from '../model/tripwires.js';
import { granted, opt, text } from './fields.js';
import { MAX_NARROWED_VAULTS } from './limits.js';
import { approvalSetting } from './vault-schemas.js';

const ruleAction = z.enum(RULE_ACTIONS);

// Strict: a misspelt rule must not vanish silently and leave the token unwatched.
export const tokenRules = z.strictObject({
  burst: z.object({ perMinute: z.number(), hourFactor: z.number().default(5), action: ruleAction }).optional(),
  newEntry: z.object({ action: ruleAction }).optional(),
  hours: z
    .object({
      from: z.string(),
      to: z.string(),
      days: z.array(z.number()).default([1, 2, 3, 4, 5]),
      timeZone: z.string().default('UTC'),
      action: ruleAction,
    })
    .optional(),
  newReason: z.object({ action: z.literal('alert') }).optional(),
  secondKey: z.object({ action: z.enum(['alert', 'pause']) }).optional(),
});

const tokenInput = z.object({
  name: z.string(),
  vaults: z.array(z.string()),
  actions: z.array(z.enum(TOKEN_ACTIONS)),
  entries: opt(z.array(z.object({ vault: z.string(), entry: z.string() }))),
  lifespanSeconds: z.number(),
  approval: opt(z.union([z.literal('vault'), approvalSetting], { error: 'must be "vault" or an approval setting with a mode' })),
  maxUses: opt(z.number()),
  requestsPerMinute: opt(z.number()),
  binding: opt(z.enum(['dpop', 'bearer'])),
  rules: opt(tokenRules),
  proxyOtherHosts: opt(z.enum(PROXY_OTHER_HOSTS)),
});

const tokenRef = { tokenId: text };
const pendingOrAll = opt(z.enum(['pending', 'all']));

const narrowing = z.object({
  vaults: opt(z.array(text).max(MAX_NARROWED_VAULTS)),
  actions: opt(z.array(z.enum(TOKEN_ACTIONS)).max(TOKEN_ACTIONS.length)),
  lifespanSeconds: opt(z.number()),
});

export const agentSchemas = {
  createToken: z.object({ ...granted, token: tokenInput }),
  listTokens: z.object({ status: opt(z.enum(['active', 'expired', 'revoked', 'all'])) }),
  revokeToken: z.object(tokenRef),
  revokeAllTokens: z.object({}),
  listAlerts: z.object({ limit: opt(z.number()) }),
  pauseToken: z.object(tokenRef),
  resumeToken: z.object({ ...granted, ...tokenRef }),
  // No rules (or null) means none: the token keeps only what other settings watch.
  setTokenRules: z.object({ ...granted, ...tokenRef, rules: tokenRules.nullish().transform((r) => r ?? {}) }),
  listDeviceRequests: z.object({ status: pendingOrAll }),
  decideDeviceRequest: z.object({ ...granted, requestId: text, decision: z.enum(['approve', 'deny']), narrowed: opt(narrowing) }),
  listApprovals: z.object({ status: pendingOrAll, limit: opt(z.number()) }),
  decideApproval: z.object({ ...granted, approvalId: text, decision: z.enum(['allow_once', 'allow_for', 'deny']), minutes: opt(z.number()) }),
};
