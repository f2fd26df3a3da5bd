/**
 * `valetkey login`, `logout`, `whoami`: the agent side's identity. Login makes a fresh Ed25519
 * key, then redeems an enrollment code from the app or runs the device flow (the person approves
 * in Valetkey), and keeps the key and token in the OS keychain, or a 0600 file where there is none.
 */
import { hostname } from 'node:os';
import { VkError } from '../../shared/errors.js';
import type { AgentClient, Credential } from '../../../sdk/js/src/agent-client.js';
import { jwtPayload } from '../../../sdk/js/src/base64url.js';
import { DpopKey } from '../../../sdk/js/src/dpop-key.js';
import type { TokenAnswer } from '../../../sdk/js/src/token-answer.js';
import { value, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { readProfile, removeProfile, secretStoreFor, writeProfile, type AgentProfile } from '../agent/agent-profile.js';
import { keychainReachable, type SecretStoreKind } from '../agent/agent-secret-store.js';
import { PROFILE_OPTION, REASON_OPTION, clientFor, openAgentSession, profileName, requireReason } from '../agent/agent-session.js';
import { readableScope, type NamedVault } from '../agent/scope-names.js';
import { localTime } from '../format.js';
import { parseLifespan } from '../agent/lifespan.js';

interface LoggedIn {
  readonly answer: TokenAnswer;
  readonly key: DpopKey | null;
  readonly name: string;
}

async function chooseStore(ctx: CliContext, args: ParsedArgs): Promise<SecretStoreKind> {
  const asked = value(args, 'store') ?? process.env.VALETKEY_AGENT_STORE;
  if (asked === 'keychain' || asked === 'file') return asked;
  if (asked !== undefined) throw new VkError('invalid_request', '--store takes keychain or file');
  if (await keychainReachable()) return 'keychain';
  ctx.err('No OS keychain can be reached here: the agent key and token will be kept in a 0600 file instead.');
  return 'file';
}

/** The code alone names the token; a name, when given, must match it (a code pasted into the wrong agent fails). */
async function enroll(ctx: CliContext, code: string, name: string | undefined): Promise<LoggedIn> {
  const key = DpopKey.generate();
  const answer = await clientFor(ctx, key).enroll(code, name);
  // The agent's name as the engine signed it (`sub`), for display; the engine verifies tokens, not us.
  const sub = jwtPayload(answer.accessToken).sub;
  // A token the person created as bearer was redeemed without a proof: the key means nothing to it.
  return { answer, key: answer.tokenType === 'DPoP' ? key : null, name: name ?? (typeof sub === 'string' ? sub : 'agent') };
}

async function askPerson(ctx: CliContext, args: ParsedArgs, name: string | undefined): Promise<LoggedIn> {
  const scope = value(args, 'scope');
  if (scope === undefined) throw new VkError('invalid_request', 'give --enroll CODE, or --scope "vault:NAME:read ..." --reason "why" to ask the person');
  const reason = requireReason(args);
  const lifespanSeconds = parseLifespan(value(args, 'lifespan') ?? '1h');
  const clientId = name ?? `valetkey-cli@${hostname()}`.slice(0, 100);
  const key = DpopKey.generate();
  // Only a login that asks the person polls: whoami and login --enroll do not load the flow.
  const { deviceFlow } = await import('../../../sdk/js/src/device-flow.js');
  const answer = await deviceFlow(clientFor(ctx, key), {
    name: clientId,
    scopes: scope.split(' ').filter((s) => s !== ''),
    reason,
    lifespanSeconds,
    onUserCode: (start) =>
      ctx.err(
        `Valetkey is asking the person to approve this request.\n  Code: ${start.userCode}  (they should see the same code in Valetkey, or run \`valetkey requests approve ${start.userCode}\`)\n` +
          `Waiting for an answer (up to ${Math.round(start.expiresIn / 60)} minutes)...`,
      ),
  });
  return { answer, key, name: clientId };
}

/** The old token of this profile, if any, is given up first (RFC 7009); failing that changes nothing. */
async function retire(ctx: CliContext, profile: string, newName: string): Promise<void> {
  const old = readProfile(ctx.paths.dataDir, profile);
  if (old === undefined) return;
  // Another agent's login in the same profile would otherwise vanish without a word.
  if (old.name !== newName) ctx.err(`Profile ${profile} was logged in as ${old.name}: that login is replaced and its token revoked (use --profile NAME to keep several agents).`);
  const store = secretStoreFor(old.store, ctx.paths.dataDir, profile);
  const secrets = await store.load().catch(() => undefined);
  if (secrets !== undefined) await clientFor(ctx, null).revoke(secrets.accessToken).catch(() => undefined);
  await store.forget().catch(() => undefined);
}

async function save(ctx: CliContext, profile: string, store: SecretStoreKind, done: LoggedIn): Promise<AgentProfile> {
  await retire(ctx, profile, done.name);
  await secretStoreFor(store, ctx.paths.dataDir, profile).save({ accessToken: done.answer.accessToken, privateJwk: done.key?.toPrivateJwk() ?? null });
  const saved: AgentProfile = {
    version: 1,
    profile,
    name: done.name,
    tokenType: done.answer.tokenType,
    scope: done.answer.scope,
    expiresAt: new Date(Date.now() + done.answer.expiresIn * 1000).toISOString(),
    jkt: done.key?.thumbprint ?? null,
    store,
  };
  writeProfile(ctx.paths.dataDir, saved);
  return saved;
}

/** "Thu 3 Dec 2026, 16:20 (local time)": what a person reads; --json keeps the ISO form. */
/** The token's vaults by name; none (ids shown instead) when the engine cannot be asked. */
async function vaultNames(client: AgentClient, credential: Credential): Promise<readonly NamedVault[]> {
  return client.listVaults(credential).catch(() => []);
}

function describe(p: AgentProfile, ctx: CliContext, vaults: readonly NamedVault[]): string {
  const where = p.store === 'keychain' ? 'the OS keychain' : `a 0600 file, ${ctx.paths.dataDir}/agents/${p.profile}.key.json`;
  return [
    `Logged in as ${p.name} (profile ${p.profile}).`,
    `  scope:   ${readableScope(p.scope, vaults)}`,
    `  expires: ${localTime(p.expiresAt)}`,
    `  token:   ${p.tokenType === 'DPoP' ? 'bound to this agent’s key (DPoP)' : 'BEARER: anyone holding it can use it'}`,
    `  kept in: ${where}`,
  ].join('\n');
}

export const loginCommands: readonly Command[] = [
  {
    words: ['login'],
    summary: 'Log an agent in: redeem an enrollment code, or ask the person for access (device flow)',
    usage: '(--enroll CODE | --scope "vault:NAME:read ..." --reason "why" [--lifespan 1h]) [--name NAME] [--profile P] [--store keychain|file]',
    details:
      'With --enroll, redeems the one-time code a person made with `valetkey token create` or in the app.\n' +
      'Otherwise asks the person: prints a code XXXX-XXXX and waits while they compare it and approve in Valetkey.\n' +
      'The agent\'s name is --name, else $VALETKEY_AGENT_NAME; with --enroll it is optional (the code names the token)\n' +
      'and, when given, must be the token\'s name.\n' +
      'A fresh Ed25519 key is made; the token works only with it. Key and token go to the OS keychain, or, where\n' +
      'there is none, to a 0600 file under the data directory (--store chooses; VALETKEY_AGENT_STORE too).\n' +
      'Several agents per machine: --profile NAME (default "default", or $VALETKEY_PROFILE).',
    options: { enroll: { type: 'string' }, name: { type: 'string' }, scope: { type: 'string' }, lifespan: { type: 'string' }, store: { type: 'string' }, ...REASON_OPTION, ...PROFILE_OPTION },
    async run(ctx, args) {
      const profile = profileName(args);
      const store = await chooseStore(ctx, args);
      const code = value(args, 'enroll');
      const name = value(args, 'name') ?? (process.env.VALETKEY_AGENT_NAME || undefined);
      const done = code !== undefined ? await enroll(ctx, code, name) : await askPerson(ctx, args, name);
      const saved = await save(ctx, profile, store, done);
      const vaults = ctx.json ? [] : await vaultNames(clientFor(ctx, done.key), { accessToken: done.answer.accessToken, tokenType: done.answer.tokenType });
      ctx.print({ ...saved, dataDir: ctx.paths.dataDir }, () => describe(saved, ctx, vaults));
    },
  },
  {
    words: ['logout'],
    summary: 'Revoke this agent’s token (RFC 7009) and forget its key',
    usage: '[--profile P]',
    options: { ...PROFILE_OPTION },
    async run(ctx, args) {
      const profile = profileName(args);
      const p = readProfile(ctx.paths.dataDir, profile);
      if (p === undefined) {
        ctx.print({ profile, loggedOut: false }, () => `Profile ${profile} is not logged in.`);
        return;
      }
      const store = secretStoreFor(p.store, ctx.paths.dataDir, profile);
      const secrets = await store.load();
      const revoked = secrets === undefined ? false : await clientFor(ctx, null).revoke(secrets.accessToken).then(() => true, () => false);
      await store.forget();
      removeProfile(ctx.paths.dataDir, profile);
      const note = revoked ? 'token revoked' : p.tokenType === 'DPoP' ? 'engine not reached, but without the key the token is useless' : `engine not reached: the bearer token stays valid until ${p.expiresAt} unless the person revokes it`;
      ctx.print({ profile, loggedOut: true, revoked }, () => `Logged out (profile ${profile}): ${note}; key forgotten.`);
    },
  },
  {
    words: ['whoami'],
    summary: 'Show the agent this profile is logged in as (no secrets)',
    usage: '[--profile P]',
    options: { ...PROFILE_OPTION },
    async run(ctx, args) {
      const profile = profileName(args);
      const p = readProfile(ctx.paths.dataDir, profile);
      if (p === undefined) throw new VkError('invalid_token', `not logged in as profile ${profile}: run valetkey login first`);
      const expired = Date.parse(p.expiresAt) <= Date.now();
      const session = expired || ctx.json ? undefined : await openAgentSession(ctx, args).catch(() => undefined);
      const vaults = session === undefined ? [] : await vaultNames(session.client, session.credential);
      ctx.print({ ...p, expired }, () => describe(p, ctx, vaults).replace('Logged in as', expired ? 'EXPIRED: was logged in as' : 'Logged in as'));
    },
  },
];
