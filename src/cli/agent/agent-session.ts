/**
 * What every agent command needs: the profile, its secrets from the store it names, the agent
 * client (the SDK's, sdk/js/src) for the endpoint (VALETKEY_AGENT_SOCKET, VALETKEY_AGENT_URL or the
 * discovery file) holding the agent's DPoP key, and the reason for a secret access (`--reason`,
 * else VALETKEY_REASON).
 */
import { checkReason } from '../../shared/reason.js';
import { VkError } from '../../shared/errors.js';
import { AgentClient, type Credential } from '../../../sdk/js/src/agent-client.js';
import { AgentHttp } from '../../../sdk/js/src/agent-http.js';
import { DpopKey } from '../../../sdk/js/src/dpop-key.js';
import { findEndpoint, type Endpoint } from '../../../sdk/js/src/endpoint.js';
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

export function endpointOf(ctx: CliContext): Endpoint {
  return findEndpoint(undefined, process.env, ctx.paths.discovery);
}

/** A client of this data directory's engine, signing with `key` (null: a bearer token). */
export function clientFor(ctx: CliContext, key: DpopKey | null): AgentClient {
  return new AgentClient(new AgentHttp(endpointOf(ctx)), key);
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
  const key = secrets.privateJwk === null ? null : DpopKey.fromPrivateJwk(secrets.privateJwk);
  return { profile, client: clientFor(ctx, key), credential: { accessToken: secrets.accessToken, tokenType: profile.tokenType } };
}

export const REASON_OPTION = { reason: { type: 'string' } } as const;

/** Every secret access needs a reason (docs/design.md §6); the engine checks it too, this only says it sooner and clearer. */
export function requireReason(args: ParsedArgs): string {
  const reason = (value(args, 'reason') ?? process.env.VALETKEY_REASON ?? '').trim();
  if (reason === '') throw new VkError('reason_required', 'give --reason "why you need it" or set VALETKEY_REASON');
  return checkReason(reason);
}
