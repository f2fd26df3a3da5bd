/**
 * The engine side of `valetkey ssh-agent` (docs/security.md §12): the private key never leaves.
 *
 * GET /v1/ssh/keys → `{ keys: [{ ref, publicKey }] }`: the `ssh_key` entries the token may use or
 * read (metadata only, like the entry listing). POST /v1/ssh/sign `{ publicKey, data, flags,
 * reason, bind? }` → `{ signature }` (base64 SSH signature blob): one signature per call, a use
 * (`use` or `read` scope), approvals as for /v1/fetch, the `secret.use` row COMMITTED before the
 * signature is made. `bind` is the session-bind@openssh.com the SSH client sent: the engine
 * verifies the server's signature itself and that the data signs for that session before it
 * audits the server's host key fingerprint as the destination; one it cannot verify is refused.
 */
import { createHash } from 'node:crypto';
import { scopeAllows, scopeMentionsVault, type ScopeAction, type ScopeItem } from '../auth/scopes.js';
import { VkError } from '../../shared/errors.js';
import type { Entry, VaultInfo } from '../../shared/model.js';
import type { WireBodyOf } from '../../shared/wire-schemas/wire-schemas.js';
import { MAX_SESSION_ID, signsForSession, userauthUser, verifySessionBind } from '../ssh/session-bind.js';
import { parseSshPrivateKey, signSsh } from '../ssh/ssh-key.js';
import { authenticate } from './authenticate.js';
import { atTargetAsync, auditAllowed, ignoreAuditFailure } from './endpoint-audit.js';
import type { EndpointRequest } from './endpoint-context.js';
import { sendOk } from './endpoint-response.js';
import { checkReason } from './oauth-params.js';
import type { RequestInput } from './request-body.js';
import { parseBody } from './wire-body.js';
import { approveAll, auditTarget } from './target-access.js';
import { auditTargetOf, type ResolveTarget } from './resolve-targets.js';

const USE: readonly ScopeAction[] = ['use', 'read'];
const MAX_DATA = 16 * 1024;

interface SshEntry {
  readonly vault: VaultInfo;
  readonly entry: Entry;
  /** The `ssh-… AAAA…` line, as derived when the entry was saved. */
  readonly publicKey: string;
}

export async function listSshKeysRoute(r: EndpointRequest): Promise<void> {
  const { record } = await authenticate(r);
  const keys = usableKeys(r, record.scope).map((k) => ({ ref: refOf(k), publicKey: k.publicKey }));
  auditAllowed(r, { action: 'entry.list', detail: { kind: 'ssh_key', count: keys.length } }).catch(ignoreAuditFailure);
  sendOk(r, { keys });
}

export async function sshSignRoute(r: EndpointRequest, input: RequestInput): Promise<void> {
  const auth = await authenticate(r, { deferUse: true }); // counted once, in approveAll
  const reason = checkReason(input.reason);
  r.trail.reason = reason;
  const body = await parseBody('sshSign', input);
  const blob = base64Field(body.publicKey, 'publicKey', 2048);
  const data = base64Field(body.data, 'data', MAX_DATA);
  const { flags } = body;
  r.trail.detail = { purpose: 'ssh-sign', key: fingerprint(blob) }; // a refusal of the binding below keeps these
  r.trail.detail = { ...r.trail.detail, ...destinationOf(body.bind, data) };
  // A key outside the scope is refused the same way as a key that does not exist.
  const found = usableKeys(r, auth.record.scope).find((k) => keyBlob(k.publicKey).equals(blob));
  if (found === undefined) throw new VkError('insufficient_scope');
  const target = targetOf(found);
  const signature = await atTargetAsync(auditTargetOf(target), async () => {
    const approvalIds = await approveAll(r, auth, [target], reason, 'use');
    const key = parseSshPrivateKey(found.entry.fields.sshPrivateKey ?? '');
    await auditTarget(r, auth, target, approvalIds.get(target) ?? null, 'secret.use', r.trail.detail);
    return signSsh(key, data, flags).toString('base64');
  });
  sendOk(r, { signature });
}

/** The verified destination for the audit row: the server's host key fingerprint and the SSH user name. */
function destinationOf(b: WireBodyOf<'sshSign'>['bind'], data: Buffer): { hostKey?: string; user?: string } {
  const user = userauthUser(data);
  const named = user === undefined ? {} : { user };
  if (b === undefined) return named;
  const bind = { hostKey: base64Field(b.hostKey, 'bind.hostKey', 2048), sessionId: base64Field(b.sessionId, 'bind.sessionId', MAX_SESSION_ID), signature: base64Field(b.signature, 'bind.signature', 2048) };
  if (!verifySessionBind(bind) || !signsForSession(data, bind.sessionId)) {
    throw new VkError('invalid_request', 'the SSH session binding does not verify against the data to sign; sign without a destination, or connect again');
  }
  return { hostKey: fingerprint(bind.hostKey), ...named };
}

function usableKeys(r: EndpointRequest, scope: readonly ScopeItem[]): SshEntry[] {
  const vaults = r.state.services.vaults;
  const out: SshEntry[] = [];
  for (const vault of vaults.listVaults().filter((v) => scopeMentionsVault(scope, v))) {
    for (const summary of vaults.listEntries(vault.id)) {
      if (summary.kind !== 'ssh_key') continue;
      const target = { vaultId: vault.id, vaultName: vault.name, entryId: summary.id, entryTitle: summary.title };
      if (!USE.some((action) => scopeAllows(scope, { ...target, action }))) continue;
      const entry = vaults.getEntry(vault.id, summary.id);
      if (entry.fields.sshPublicKey !== undefined) out.push({ vault, entry, publicKey: entry.fields.sshPublicKey });
    }
  }
  return out;
}

function refOf(k: SshEntry): string {
  return `vk://${encodeURIComponent(k.vault.name)}/${encodeURIComponent(k.entry.title)}`;
}

function targetOf(k: SshEntry): ResolveTarget {
  const field = 'ssh_key';
  return { ref: { text: `${refOf(k)}/${field}`, vault: k.vault.id, entry: k.entry.id, field, attribute: null }, vault: k.vault, entry: k.entry, field };
}

function keyBlob(publicKeyLine: string): Buffer {
  return Buffer.from(publicKeyLine.split(' ')[1] ?? '', 'base64');
}

/** `SHA256:…` as ssh-keygen -l prints it: not secret, and what a person compares. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

function base64Field(value: string, name: string, max: number): Buffer {
  if (value.length === 0 || value.length > Math.ceil(max / 3) * 4 || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) {
    throw new VkError('invalid_request', `${name} must be base64 of at most ${max} bytes`);
  }
  return Buffer.from(value, 'base64');
}
