/**
 * The one client of the agent endpoint (docs/tokens.md): enrollment, the device flow, resolve,
 * fetch, listings, token exchange and revocation, plus the routes the `valetkey` CLI's helpers use
 * (git credentials, SSH signing, the HTTPS proxy). The SDK's `Valetkey`, the CLI and its MCP server
 * all speak through it. `key` signs every proof; null for a bearer token (the person's explicit
 * opt-in): no proofs at all. Refusals are thrown as the engine's typed errors (errors.ts).
 */
import type { AgentHttp } from './agent-http.js';
import type { DpopKey } from './dpop-key.js';
import { makeError, ValetkeyError } from './errors.js';
import { checkReason } from './reason.js';
import { DEVICE_CODE_GRANT, ENROLLMENT_GRANT, tokenAnswer, type TokenAnswer } from './token-answer.js';
import type { EntryListing, UseResponse, VaultListing } from './valetkey.js';
import type {
  CredentialBody,
  CredentialRequest,
  DeviceAuthorizationForm,
  DeviceCodeForm,
  EnrollmentForm,
  FetchBody,
  ProxyConnectBody,
  ResolveBody,
  RevokeForm,
  SshSignBody,
} from './wire-bodies.js';

/** An access token and how to present it. */
export interface Credential {
  readonly accessToken: string;
  readonly tokenType: 'DPoP' | 'Bearer';
}

export interface DeviceStart {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresIn: number;
  readonly interval: number;
}

export interface DeviceAsk {
  readonly clientId: string;
  /** Space-separated scopes, e.g. `vault:Accounting:read`. */
  readonly scope: string;
  readonly reason: string;
  readonly lifespanSeconds?: number;
}

/** GET /v1/proxy/hosts: what `valetkey proxy` intercepts, and the CA certificate (PEM) its programs trust; the CA key never leaves the engine. */
export interface ProxyPolicy {
  readonly hosts: readonly string[];
  readonly caCertificate: string;
}

/** POST /v1/proxy/connect: what the proxy does with one CONNECT, as the engine decides it. */
export type ProxyConnectAnswer = { readonly mode: 'intercept'; readonly certificate: string; readonly expiresAt: number } | { readonly mode: 'tunnel' };

export interface VaultEntries {
  readonly vault: { readonly id: string; readonly name: string };
  readonly entries: readonly EntryListing[];
}

/** The request `/v1/fetch` sends for the agent: `{{vk://…}}` placeholders, filled in by the engine. */
export interface FetchRequest {
  readonly method?: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
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

/** One signature for `valetkey ssh-agent`, all base64; `bind` is the session-bind the data signs for, checked again by the engine. */
export interface SshSignRequest {
  readonly publicKey: string;
  readonly data: string;
  readonly flags: number;
  readonly bind?: { readonly hostKey: string; readonly sessionId: string; readonly signature: string };
}

export class AgentClient {
  constructor(
    readonly http: AgentHttp,
    readonly key: DpopKey | null,
  ) {}

  /**
   * Redeems a one-time code from the app. The code alone names the token; a `clientId`, when given,
   * must be the token's name. A token the person created as bearer is redeemed without a proof: the
   * engine says so before spending the code, and only then is the request sent again without one.
   */
  async enroll(code: string, clientId?: string): Promise<TokenAnswer> {
    const form: EnrollmentForm = { grant_type: ENROLLMENT_GRANT, enrollment_code: code, ...(clientId === undefined ? {} : { client_id: clientId }) };
    try {
      return await this.token(form);
    } catch (e) {
      if (!(e instanceof ValetkeyError) || e.code !== 'invalid_request' || !e.message.includes('bearer')) throw e;
      return tokenAnswer(await this.http.call({ method: 'POST', path: '/v1/token', form }));
    }
  }

  /** Any grant at `/v1/token`, signed by this key; `proofToken` is the token the proof's `ath` names. */
  async token(form: Readonly<Record<string, string>>, proofToken?: string): Promise<TokenAnswer> {
    const signed = this.key === null ? {} : { key: this.key, ...(proofToken === undefined ? {} : { proofToken }) };
    return tokenAnswer(await this.http.call({ method: 'POST', path: '/v1/token', form, ...signed }));
  }

  async startDevice(ask: DeviceAsk): Promise<DeviceStart> {
    const form: DeviceAuthorizationForm = {
      client_id: ask.clientId,
      scope: ask.scope,
      reason: checkReason(ask.reason),
      ...(ask.lifespanSeconds === undefined ? {} : { lifespan: String(ask.lifespanSeconds) }),
    };
    const b = await this.http.call({ method: 'POST', path: '/v1/device_authorization', form, ...(this.key === null ? {} : { key: this.key }) });
    if (typeof b.device_code !== 'string' || typeof b.user_code !== 'string') throw makeError('internal_error', 'Valetkey answered the device request without a code.');
    return {
      deviceCode: b.device_code,
      userCode: b.user_code,
      verificationUri: typeof b.verification_uri === 'string' ? b.verification_uri : '',
      expiresIn: Number(b.expires_in) || 600,
      interval: Number(b.interval) || 5,
    };
  }

  /** One poll; throws `authorization_pending` or `slow_down` while the person has not answered. */
  pollDevice(deviceCode: string, clientId: string): Promise<TokenAnswer> {
    const form: DeviceCodeForm = { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: clientId };
    return this.token(form);
  }

  /** A call with the access token: a proof rides along for a DPoP token. */
  async call(cred: Credential, method: 'GET' | 'POST', path: string, json?: unknown): Promise<Record<string, unknown>> {
    const bound = cred.tokenType === 'DPoP';
    if (bound && this.key === null) throw makeError('invalid_token', 'This token is bound to a key this client does not hold.');
    return this.http.call({
      method,
      path,
      ...(json === undefined ? {} : { json }),
      token: { value: cred.accessToken, scheme: cred.tokenType },
      ...(bound && this.key !== null ? { key: this.key } : {}),
    });
  }

  async resolve(cred: Credential, refs: readonly string[], reason: string): Promise<Record<string, string>> {
    const body: ResolveBody = { refs, reason: checkReason(reason) };
    const b = await this.call(cred, 'POST', '/v1/resolve', body);
    if (!isStringRecord(b.values)) throw makeError('internal_error', 'Valetkey answered without the values asked for.');
    return b.values;
  }

  async fetch(cred: Credential, request: FetchRequest, reason: string): Promise<UseResponse> {
    const body: FetchBody = { request, reason: checkReason(reason) };
    return fetchResponse(await this.call(cred, 'POST', '/v1/fetch', body));
  }

  async listVaults(cred: Credential): Promise<readonly VaultListing[]> {
    return listOf<VaultListing>((await this.call(cred, 'GET', '/v1/vaults')).vaults);
  }

  /** Entries of a vault (id or name) the token may read or use; never a value. */
  async listEntries(cred: Credential, vault: string): Promise<VaultEntries> {
    const b = await this.call(cred, 'GET', `/v1/vaults/${encodeURIComponent(vault)}/entries`);
    const named = b.vault as Partial<VaultEntries['vault']> | undefined;
    if (typeof named?.id !== 'string' || typeof named.name !== 'string') throw makeError('internal_error', 'Valetkey answered the listing without its vault.');
    return { vault: { id: named.id, name: named.name }, entries: listOf<EntryListing>(b.entries) };
  }

  /** The login for a host (git credential helper): the engine picks the entry whose allowed hosts name it. */
  async credential(cred: Credential, request: CredentialRequest, reason: string): Promise<HostCredential> {
    const body: CredentialBody = { ...request, reason: checkReason(reason) };
    const b = await this.call(cred, 'POST', '/v1/credential', body);
    if (typeof b.username !== 'string' || typeof b.password !== 'string' || typeof b.ref !== 'string') throw makeError('internal_error', 'Valetkey answered without a login.');
    return { ref: b.ref, username: b.username, password: b.password };
  }

  /** The SSH keys the token may sign with (`valetkey ssh-agent`): public keys only. */
  async sshKeys(cred: Credential): Promise<readonly SshKeyListing[]> {
    return listOf<SshKeyListing>((await this.call(cred, 'GET', '/v1/ssh/keys')).keys);
  }

  /** One signature made by the engine; every argument is base64 except the reason. */
  async sshSign(cred: Credential, request: SshSignRequest, reason: string): Promise<string> {
    const body: SshSignBody = { ...request, reason: checkReason(reason) };
    const b = await this.call(cred, 'POST', '/v1/ssh/sign', body);
    if (typeof b.signature !== 'string') throw makeError('internal_error', 'Valetkey answered without a signature.');
    return b.signature;
  }

  /** What the HTTPS proxy intercepts (allowed hosts of entries with an injection setting) and the CA its programs trust. */
  async proxyHosts(cred: Credential): Promise<ProxyPolicy> {
    const b = await this.call(cred, 'GET', '/v1/proxy/hosts');
    if (typeof b.caCertificate !== 'string') throw makeError('internal_error', 'Valetkey answered without its CA certificate.');
    return { hosts: listOf<string>(b.hosts), caCertificate: b.caCertificate };
  }

  /** The engine's decision for one CONNECT: a one-hour leaf over the proxy's public key (SPKI DER, base64), or tunnel; refusals throw. */
  async proxyConnect(cred: Credential, host: string, publicKey: string): Promise<ProxyConnectAnswer> {
    const body: ProxyConnectBody = { host, publicKey };
    const b = await this.call(cred, 'POST', '/v1/proxy/connect', body);
    if (b.mode === 'tunnel') return { mode: 'tunnel' };
    if (b.mode !== 'intercept' || typeof b.certificate !== 'string' || typeof b.expiresAt !== 'number') throw makeError('internal_error', 'Valetkey answered without a certificate.');
    return { mode: 'intercept', certificate: b.certificate, expiresAt: b.expiresAt };
  }

  /** A request as the proxy's client made it; the engine adds the secret and answers redacted. */
  async proxyRequest(cred: Credential, request: FetchRequest, reason: string): Promise<UseResponse> {
    const body: FetchBody = { request, reason: checkReason(reason) };
    return fetchResponse(await this.call(cred, 'POST', '/v1/proxy/request', body));
  }

  /** RFC 7009: always succeeds on a reachable engine, whatever the token. */
  async revoke(accessToken: string): Promise<void> {
    const form: RevokeForm = { token: accessToken };
    await this.http.call({ method: 'POST', path: '/v1/revoke', form });
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

/** The engine's own listing, passed on as it sent it; a missing list is an empty one. */
function listOf<T>(value: unknown): readonly T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

function fetchResponse(b: Record<string, unknown>): UseResponse {
  const { status, statusText, headers, body, bodyEncoding, redactions } = b;
  if (typeof status !== 'number' || typeof statusText !== 'string' || typeof body !== 'string' || typeof redactions !== 'number' || (bodyEncoding !== 'utf8' && bodyEncoding !== 'base64') || typeof headers !== 'object' || headers === null) {
    throw makeError('internal_error', 'Valetkey answered the request without a response.');
  }
  return { status, statusText, headers: headers as UseResponse['headers'], body, bodyEncoding, redactions };
}
