/**
 * POST /v1/credential: `{ url: "https://host[:port]", username?, reason }` → `{ ref, username,
 * password }`, for `git-credential-valetkey` and other tools that put a login in the request
 * themselves. The tool holds the password, so this is a READ (scope `read`), audited as
 * `secret.read` with the host; approvals apply as for /v1/resolve (docs/security.md).
 *
 * The engine, not the agent, picks the entry: among the entries the token may read, the one whose
 * allowed hosts name this host and port (and, when the tool sent a username, whose username
 * matches). No entry: host_not_allowed; several: credential_ambiguous, nothing read.
 */
import { scopeAllows, scopeMentionsVault } from '../auth/scopes.js';
import { VkError } from '../../shared/errors.js';
import type { EntrySummary, VaultInfo } from '../../shared/model.js';
import { checkScheme, hostAllowed } from '../fetch/host-policy.js';
import { authenticate } from './authenticate.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { checkReason } from './oauth-params.js';
import type { RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';
import { approveAll, auditTarget } from './target-access.js';
import { atTargetAsync } from './endpoint-audit.js';
import { auditTargetOf, type ResolveTarget } from './resolve-targets.js';

export async function credentialRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  const auth = await authenticate(r, { deferUse: true }); // counted once, in approveAll
  const reason = checkReason(input.reason);
  r.trail.reason = reason;
  const body = await parseBody('credential', input);
  const origin = parseOrigin(body.url);
  const username = body.username === '' ? undefined : body.username; // empty means not sent, as git sends it
  const target = pickEntry(r, auth.record.scope, origin, username);
  const approvalIds = await atTargetAsync(auditTargetOf(target), () => approveAll(r, auth, [target], reason, 'read'));
  const secret = target.entry.fields.password ?? target.entry.fields.apiKey ?? '';
  // An API key has no account name; git needs one, and GitHub-style hosts accept any with a token.
  const user = target.entry.fields.username ?? username ?? 'x-access-token';
  await auditTarget(r, auth, target, approvalIds.get(target) ?? null, 'secret.read', { host: origin.host, purpose: 'credential' });
  sendOk(r, { ref: target.ref.text, username: user, password: secret });
}

function parseOrigin(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new VkError('invalid_request', 'url must be the https://host[:port] the credential is for');
  }
  if (url.username !== '' || url.password !== '') throw new VkError('invalid_request', 'send the username as its own field, not in the url');
  checkScheme(url);
  return url;
}

function pickEntry(r: EndpointRequest, scope: Parameters<typeof scopeAllows>[0], origin: URL, username: string | undefined): ResolveTarget {
  const services = r.state.services.vaults;
  const candidates: { vault: VaultInfo; summary: EntrySummary }[] = [];
  let useOnly = false;
  for (const vault of services.listVaults().filter((v) => scopeMentionsVault(scope, v))) {
    for (const summary of services.listEntries(vault.id)) {
      const hasSecret = summary.fieldNames.includes('password') || summary.fieldNames.includes('api_key');
      if (!hasSecret || !hostAllowed(origin, summary.allowedHosts)) continue;
      const target = { vaultId: vault.id, vaultName: vault.name, entryId: summary.id, entryTitle: summary.title };
      if (scopeAllows(scope, { ...target, action: 'read' })) candidates.push({ vault, summary });
      else if (scopeAllows(scope, { ...target, action: 'use' })) useOnly = true;
    }
  }
  // A use scope keeps the value in the engine; handing it to git would reveal it.
  if (candidates.length === 0 && useOnly) throw new VkError('insufficient_scope');
  const opened = candidates.map(({ vault, summary }) => ({ vault, entry: services.getEntry(vault.id, summary.id) }));
  const matching = username === undefined ? opened : opened.filter((c) => c.entry.fields.username === username || c.entry.fields.username === undefined);
  const chosen = matching.length > 1 && username !== undefined ? matching.filter((c) => c.entry.fields.username === username) : matching;
  if (chosen.length === 0) throw new VkError('host_not_allowed');
  if (chosen.length > 1) throw new VkError('credential_ambiguous');
  const [{ vault, entry }] = chosen as [(typeof chosen)[number]];
  const field = entry.fields.password !== undefined ? 'password' : 'api_key';
  const text = `vk://${encodeURIComponent(vault.name)}/${encodeURIComponent(entry.title)}/${field}`;
  return { ref: { text, vault: vault.id, entry: entry.id, field, attribute: null }, vault, entry, field };
}
