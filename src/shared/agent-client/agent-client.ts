/**
 * A client of the agent endpoint, built from docs/tokens.md alone: enrollment, the device flow,
 * resolve, fetch, listing and self-revocation, with DPoP proofs and the server-nonce handshake
 * (it keeps the latest `DPoP-Nonce` and retries once on `use_dpop_nonce`). Errors come back as
 * the VkError the engine sent. Used by the `valetkey` CLI; the SDKs are their own packages.
 */
import { VkError, fromWire } from '../errors.js';
import type { FetchAnswer, FetchRequestInput, ProxyConnectAnswer, ProxyPolicy } from '../model.js';
import { checkReason } from '../reason.js';
import { sendAgentRequest, type AgentHttpAnswer, type AgentHttpRequest } from './agent-http.js';
import type { DpopKey } from './dpop-key.js';
import type { EndpointLocation } from './endpoint-location.js';

export const GRANTS = {
  enrollment: 'urn:valetkey:params:oauth:grant-type:enrollment',
  deviceCode: 'urn:ietf:params:oauth:grant-type:device_code',
} as const;

export interface TokenAnswer {
  readonly accessToken: string;
  readonly tokenType: 'DPoP' | 'Bearer';
  readonly expiresIn: number;
  readonly scope: string;
}

export interface DeviceStart {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresIn: number;
  readonly interval: number;
}

/** An access token and how to present it. */
export interface Credential {
  readonly accessToken: string;
  readonly tokenType: 'DPoP' | 'Bearer';
}

export interface VaultListing {
  readonly id: string;
  readonly name: string;
  readonly entryCount: number;
  readonly actions: readonly string[];
}

export interface HostCredential {
  readonly ref: string;
  readonly username: string;
  readonly password: string;
}

export interface SshKeyListing {
  readonly ref: string;
  /** `ssh-ed25519 AAAA… comment` */
  readonly publicKey: string;
}

export class AgentClient {
  /** The latest server nonce, put in every proof. */
  private nonce: string | undefined;

  constructor(
    readonly where: EndpointLocation,
    /** Null for a bearer token (the person's explicit opt-in): no proofs at all. */
    readonly key: DpopKey | null,
  ) {}

  /**
   * Redeem a one-time code from the app. The code alone names the token; a `clientId`, when given,
   * must be the token's name. `withProof` false only for a token the person made as bearer.
   */
  async enroll(code: string, clientId?: string, withProof = true): Promise<TokenAnswer> {
    const form = { grant_type: GRANTS.enrollment, enrollment_code: code, ...(clientId === undefined ? {} : { client_id: clientId }) };
    return tokenAnswer(await this.oauth('/v1/token', form, withProof));
  }

  async startDevice(input: { readonly clientId: string; readonly scope: string; readonly reason: string; readonly lifespanSeconds: number }): Promise<DeviceStart> {
    const form = { client_id: input.clientId, scope: input.scope, reason: checkReason(input.reason), lifespan: String(input.lifespanSeconds) };
    const b = (await this.oauth('/v1/device_authorization', form, true)) as Record<string, unknown>;
    if (typeof b.device_code !== 'string' || typeof b.user_code !== 'string') throw new VkError('internal_error');
    return {
      deviceCode: b.device_code,
      userCode: b.user_code,
      verificationUri: String(b.verification_uri ?? ''),
      expiresIn: Number(b.expires_in ?? 600),
      interval: Number(b.interval ?? 5),
    };
  }

  /** One poll; throws VkError authorization_pending or slow_down while the person has not answered. */
  async pollDevice(deviceCode: string, clientId: string): Promise<TokenAnswer> {
    return tokenAnswer(await this.oauth('/v1/token', { grant_type: GRANTS.deviceCode, device_code: deviceCode, client_id: clientId }, true));
  }

  async resolve(cred: Credential, refs: readonly string[], reason: string): Promise<Readonly<Record<string, string>>> {
    const body = (await this.call(cred, 'POST', '/v1/resolve', { refs, reason: checkReason(reason) })) as { values?: Record<string, string> };
    if (typeof body.values !== 'object' || body.values === null) throw new VkError('internal_error');
    return body.values;
  }

  async fetch(cred: Credential, request: FetchRequestInput, reason: string): Promise<FetchAnswer> {
    return (await this.call(cred, 'POST', '/v1/fetch', { request, reason: checkReason(reason) })) as FetchAnswer;
  }

  /** The login for a host (git credential helper): the engine picks the entry whose allowed hosts name it. */
  async credential(cred: Credential, request: { readonly url: string; readonly username?: string }, reason: string): Promise<HostCredential> {
    const b = (await this.call(cred, 'POST', '/v1/credential', { ...request, reason })) as Partial<HostCredential>;
    if (typeof b.username !== 'string' || typeof b.password !== 'string' || typeof b.ref !== 'string') throw new VkError('internal_error');
    return { ref: b.ref, username: b.username, password: b.password };
  }

  /** The SSH keys the token may sign with (`valetkey ssh-agent`): public keys only. */
  async sshKeys(cred: Credential): Promise<readonly SshKeyListing[]> {
    return ((await this.call(cred, 'GET', '/v1/ssh/keys')) as { keys: SshKeyListing[] }).keys;
  }

  /** One signature made by the engine; every argument is base64 except the reason. */
  async sshSign(cred: Credential, request: { readonly publicKey: string; readonly data: string; readonly flags: number; readonly hostKey?: string }, reason: string): Promise<string> {
    const b = (await this.call(cred, 'POST', '/v1/ssh/sign', { ...request, reason })) as { signature?: unknown };
    if (typeof b.signature !== 'string') throw new VkError('internal_error');
    return b.signature;
  }

  /** What the HTTPS proxy intercepts (allowed hosts of entries with an injection setting) and the CA its programs trust. */
  async proxyHosts(cred: Credential): Promise<ProxyPolicy> {
    const b = (await this.call(cred, 'GET', '/v1/proxy/hosts')) as Partial<ProxyPolicy>;
    if (!Array.isArray(b.hosts) || typeof b.caCertificate !== 'string') throw new VkError('internal_error');
    return { hosts: b.hosts, caCertificate: b.caCertificate };
  }

  /** The engine's decision for one CONNECT: a one-hour leaf over the proxy's public key (SPKI DER, base64), or tunnel; refusals throw. */
  async proxyConnect(cred: Credential, host: string, publicKey: string): Promise<ProxyConnectAnswer> {
    const b = (await this.call(cred, 'POST', '/v1/proxy/connect', { host, publicKey })) as Partial<Record<'mode' | 'certificate' | 'expiresAt', unknown>>;
    if (b.mode === 'tunnel') return { mode: 'tunnel' };
    if (b.mode !== 'intercept' || typeof b.certificate !== 'string' || typeof b.expiresAt !== 'number') throw new VkError('internal_error');
    return { mode: 'intercept', certificate: b.certificate, expiresAt: b.expiresAt };
  }

  /** A request as the proxy's client made it; the engine adds the secret and answers redacted. */
  async proxyRequest(cred: Credential, request: FetchRequestInput, reason: string): Promise<FetchAnswer> {
    return (await this.call(cred, 'POST', '/v1/proxy/request', { request, reason })) as FetchAnswer;
  }

  async listVaults(cred: Credential): Promise<readonly VaultListing[]> {
    return ((await this.call(cred, 'GET', '/v1/vaults')) as { vaults: VaultListing[] }).vaults;
  }

  /** RFC 7009: always succeeds on a reachable engine, whatever the token. */
  async revoke(accessToken: string): Promise<void> {
    const res = await sendAgentRequest(this.where, { method: 'POST', path: '/v1/revoke', form: { token: accessToken } });
    if (res.status !== 200) throw fromWire(res.body);
  }

  private async oauth(path: string, form: Record<string, string>, withProof: boolean): Promise<unknown> {
    return this.withNonceRetry(async () => {
      const headers: Record<string, string> = withProof ? { DPoP: await this.proof('POST', path) } : {};
      return { method: 'POST', path, form, headers };
    });
  }

  private async call(cred: Credential, method: 'GET' | 'POST', path: string, json?: unknown): Promise<unknown> {
    return this.withNonceRetry(async () => {
      const headers: Record<string, string> = { authorization: `${cred.tokenType} ${cred.accessToken}` };
      if (cred.tokenType === 'DPoP') headers.DPoP = await this.proof(method, path, cred.accessToken);
      return { method, path, headers, ...(json === undefined ? {} : { json }) };
    });
  }

  /** Builds the request afresh for the retry: a proof is single use and must carry the new nonce. */
  private async withNonceRetry(build: () => Promise<AgentHttpRequest>): Promise<unknown> {
    let res = await this.send(await build());
    if (errorCode(res) === 'use_dpop_nonce' && this.key !== null) res = await this.send(await build());
    if (res.status < 200 || res.status > 299) throw fromWire(res.body);
    return res.body;
  }

  private async send(r: AgentHttpRequest): Promise<AgentHttpAnswer> {
    const res = await sendAgentRequest(this.where, r);
    const nonce = res.headers['dpop-nonce'];
    if (typeof nonce === 'string' && nonce !== '') this.nonce = nonce;
    return res;
  }

  private proof(htm: string, path: string, accessToken?: string): Promise<string> {
    if (this.key === null) throw new VkError('invalid_request', 'this client has no DPoP key');
    return this.key.proof({ htm, htu: `${this.where.base}${path}`, ...(accessToken === undefined ? {} : { accessToken }), ...(this.nonce === undefined ? {} : { nonce: this.nonce }) });
  }
}

function errorCode(res: AgentHttpAnswer): string | undefined {
  const body = res.body as { error?: unknown } | undefined;
  return typeof body?.error === 'string' ? body.error : undefined;
}

/** The agent's name as the engine signed it (`sub`), for display; the engine verifies tokens, not us. */
export function tokenSubject(accessToken: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(accessToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

function tokenAnswer(body: unknown): TokenAnswer {
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || (b.token_type !== 'DPoP' && b.token_type !== 'Bearer')) throw new VkError('internal_error');
  return { accessToken: b.access_token, tokenType: b.token_type, expiresIn: Number(b.expires_in ?? 0), scope: String(b.scope ?? '') };
}
