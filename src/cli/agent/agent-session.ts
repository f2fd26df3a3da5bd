/**
 * What every agent command needs: the profile, its secrets from the store it names, a client for
 * the endpoint (VALETKEY_AGENT_URL or the discovery file) holding the agent's DPoP key, and the
 * reason for a secret access (`--reason`, else VALETKEY_REASON).
 */
import { checkReason } from '../../shared/reason.js';
import { VkError } from '../../shared/errors.js';
import { AgentClient, type Credential } from '../../shared/agent-client/agent-client.js';
import { DpopKey } from '../../shared/agent-client/dpop-key.js';
import { locateEndpoint, type EndpointLocation } from '../../shared/agent-client/endpoint-location.js';
import { value, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { checkProfileName, DEFAULT_PROFILE, readProfile, secretStoreFor, type AgentProfile } from './agent-profile.js';

export interface AgentSession {
  readonly profile: AgentProfile;
  readonly client: AgentClient;
  readonly credential: Credential;
}

export const PROFILE_OPTION = { profile: { type: 'string' } } as const;

export function profileName(args: ParsedArgs): string {
  return checkProfileName(value(args, 'profile') ?? process.env.VALETKEY_PROFILE ?? DEFAULT_PROFILE);
}

export function endpointOf(ctx: CliContext): EndpointLocation {
  return locateEndpoint({ env: process.env, discoveryFile: ctx.paths.discovery });
}

export async function openAgentSession(ctx: CliContext, args: ParsedArgs): Promise<AgentSession> {
  const name = profileName(args);
  const profile = readProfile(ctx.paths.dataDir, name);
  if (profile === undefined) throw new VkError('invalid_token', `not logged in as profile ${name}: run valetkey login first`);
  if (Date.parse(profile.expiresAt) <= Date.now()) {
    throw new VkError('invalid_token', `the token of profile ${name} expired at ${profile.expiresAt}; run valetkey login again`);
  }
  const secrets = await secretStoreFor(profile.store, ctx.paths.dataDir, name).load();
  if (secrets === undefined) throw new VkError('invalid_token', `the key of profile ${name} is missing from the ${profile.store}; run valetkey login again`);
  const key = secrets.privateJwk === null ? null : await DpopKey.fromJwk(secrets.privateJwk);
  return { profile, client: new AgentClient(endpointOf(ctx), key), credential: { accessToken: secrets.accessToken, tokenType: profile.tokenType } };
}

export const REASON_OPTION = { reason: { type: 'string' } } as const;

/** Every secret access needs a reason (docs/design.md §6); the engine checks it too, this only says it sooner and clearer. */
export function requireReason(args: ParsedArgs): string {
  const reason = (value(args, 'reason') ?? process.env.VALETKEY_REASON ?? '').trim();
  if (reason === '') throw new VkError('reason_required', 'give --reason "why you need it" or set VALETKEY_REASON');
  return checkReason(reason);
}
