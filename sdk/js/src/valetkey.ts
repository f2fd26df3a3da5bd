/**
 * One agent's connection to Valetkey: its key, its token, and the calls an agent makes with them
 * (docs/tokens.md §6): read and resolve `vk://` references with a reason, use a secret without
 * seeing it (`/v1/fetch`), list what the token can see, mint a narrower token for a sub-agent,
 * and give the token up. An ephemeral token is revoked when the process exits.
 */
import type { AgentHttp, Call } from './agent-http.js';
import { obtainToken, type ConnectOptions } from './connect.js';
import { jwtPayload } from './base64url.js';
import { DpopKey } from './dpop-key.js';
import { InvalidTokenError, TokenExpiredError, ValetkeyError } from './errors.js';
import { revokeAtExit } from './exit-revoker.js';
import { checkReason } from './reason.js';
import { writeKeyFile, type StoredToken } from './key-file.js';
import { lifespanSeconds, type Lifespan } from './lifespan.js';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT, tokenAnswer } from './token-answer.js';
import { placeholderRefs, printWaiting, withWaitingNotice, type OnWaiting } from './waiting.js';

export interface CallOptions {
  /** This access's reason (1..300 characters); default: the one given to connect(). */
  readonly reason?: string;
}

/** An HTTP request with `{{vk://vault/entry/field}}` placeholders, sent by the engine. */
export interface UseRequest {
  readonly method: string;
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The answer, with every substituted value (and its base64 and URL-encoded forms) redacted by the engine. */
export interface UseResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Text, or base64 when the body is not UTF-8 (see bodyEncoding). */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** How many values the engine redacted. */
  readonly redactions: number;
}

export interface VaultListing {
  readonly id: string;
  readonly name: string;
  readonly approval: { readonly mode: string; readonly minutes?: number };
  readonly entryCount: number;
  readonly actions: readonly string[];
}

export interface EntryListing {
  readonly id: string;
  readonly title: string;
  readonly kind: string;
  readonly fieldNames: readonly string[];
  readonly hasTotp: boolean;
  readonly actions: readonly string[];
}

export interface ExchangeOptions {
  /** The sub-agent's name (1..100 characters). */
  readonly name: string;
  /** A subset of this token's scope; default: all of it. */
  readonly scopes?: readonly string[];
  /** Seconds (≥ 300) or a preset; never beyond this token's expiry. */
  readonly ttl?: Lifespan;
  /** The sub-agent's default reason; default: this one's. */
  readonly reason?: string;
}

interface Init {
  readonly http: AgentHttp;
  readonly key: DpopKey;
  readonly token: StoredToken;
  readonly reason: string;
  readonly revokeOnExit: boolean;
  readonly onWaiting: OnWaiting;
  readonly keyFile?: string;
}

export class Valetkey {
  readonly #http: AgentHttp;
  readonly #key: DpopKey;
  readonly #reason: string;
  readonly #ephemeral: boolean;
  readonly #keyFile: string | undefined;
  readonly #onWaiting: OnWaiting;
  #token: StoredToken | undefined;
  #closed = false;
  readonly #unregister: () => void;
  /** The token id (`jti`): what the dashboard and the audit log show. */
  readonly tokenId: string;
  /** Who the engine knows this agent as (`client_id`). */
  readonly name: string;
  readonly scope: string;
  readonly expiresAt: Date;

  private constructor(init: Init) {
    this.#http = init.http;
    this.#key = init.key;
    this.#reason = init.reason;
    this.#ephemeral = init.revokeOnExit;
    this.#keyFile = init.keyFile;
    this.#onWaiting = init.onWaiting;
    this.#token = init.token;
    const claims = jwtPayload(init.token.accessToken);
    this.tokenId = typeof claims.jti === 'string' ? claims.jti : '';
    this.name = typeof claims.client_id === 'string' ? claims.client_id : '';
    this.scope = init.token.scope || (typeof claims.scope === 'string' ? claims.scope : '');
    this.expiresAt = new Date(init.token.expiresAt);
    this.#unregister = init.revokeOnExit
      ? revokeAtExit({ endpoint: init.http.endpoint, pendingToken: () => this.#token?.accessToken, revoke: () => this.revoke() })
      : () => undefined;
  }

  /** Finds the engine, gets a token (key file, enrollment code or device flow) and returns a ready client. */
  static async connect(options: ConnectOptions): Promise<Valetkey> {
    const { http, key, token } = await obtainToken(options);
    return new Valetkey({
      http,
      key,
      token,
      reason: options.reason,
      revokeOnExit: options.revokeOnExit ?? options.keyFile === undefined,
      onWaiting: options.onWaiting === undefined ? printWaiting : options.onWaiting,
      ...(options.keyFile === undefined ? {} : { keyFile: options.keyFile }),
    });
  }

  /** RFC 7638 thumbprint of this agent's key (the token's `cnf.jkt`). */
  get keyThumbprint(): string {
    return this.#key.thumbprint;
  }

  /** One secret: `vk://vault/entry/field` (or `?attribute=otp` for the current TOTP code). */
  async read(ref: string, options: CallOptions = {}): Promise<string> {
    const values = await this.resolve([ref], options);
    const value = values[ref];
    if (value === undefined) throw new ValetkeyError('internal_error', 'Valetkey answered without the value asked for.');
    return value;
  }

  /** Several secrets at once, all or nothing; keyed by the references as given. */
  async resolve(refs: readonly string[], options: CallOptions = {}): Promise<Record<string, string>> {
    const reason = checkReason(options.reason ?? this.#reason);
    const body = await withWaitingNotice(refs, this.#onWaiting, this.#call({ method: 'POST', path: '/v1/resolve', json: { refs, reason } }));
    return (body.values ?? {}) as Record<string, string>;
  }

  /** The engine fills in the placeholders, sends the request to an allowed host, and returns the redacted answer. */
  async use(request: UseRequest, options: CallOptions = {}): Promise<UseResponse> {
    const reason = checkReason(options.reason ?? this.#reason);
    const body = await withWaitingNotice(placeholderRefs(JSON.stringify(request)), this.#onWaiting, this.#call({ method: 'POST', path: '/v1/fetch', json: { request, reason } }));
    return body as unknown as UseResponse;
  }

  async vaults(): Promise<readonly VaultListing[]> {
    const body = await this.#call({ method: 'GET', path: '/v1/vaults' });
    return (body.vaults ?? []) as VaultListing[];
  }

  /** Entries of a vault (id or name) this token may read or use; never a value. */
  async entries(vault: string): Promise<readonly EntryListing[]> {
    const body = await this.#call({ method: 'GET', path: `/v1/vaults/${encodeURIComponent(vault)}/entries` });
    return (body.entries ?? []) as EntryListing[];
  }

  /**
   * A narrower, no-longer-lived token for a sub-agent (RFC 8693), bound to a new key of its own.
   * This agent's key signs the request; revoking this token revokes the sub-agent's too.
   */
  async exchange(options: ExchangeOptions): Promise<Valetkey> {
    const token = this.#live();
    const subKey = DpopKey.generate();
    const ttl = lifespanSeconds(options.ttl);
    const form: Record<string, string> = {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: token.accessToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      actor_jkt: subKey.thumbprint,
      actor_name: options.name,
      ...(options.scopes === undefined ? {} : { scope: options.scopes.join(' ') }),
      ...(ttl === undefined ? {} : { expires_in: String(ttl) }),
    };
    const proofKey = token.tokenType === 'DPoP' ? { key: this.#key, proofToken: token.accessToken } : {};
    const answer = tokenAnswer(await this.#http.call({ method: 'POST', path: '/v1/token', form, ...proofKey }));
    const stored: StoredToken = { accessToken: answer.accessToken, tokenType: answer.tokenType, expiresAt: Date.now() + answer.expiresIn * 1000, scope: answer.scope };
    return new Valetkey({ http: this.#http, key: subKey, token: stored, reason: options.reason ?? this.#reason, revokeOnExit: true, onWaiting: this.#onWaiting });
  }

  /** Gives the token up now (RFC 7009); later calls fail with InvalidTokenError. */
  async revoke(): Promise<void> {
    const token = this.#token;
    if (token === undefined) return;
    await this.#http.call({ method: 'POST', path: '/v1/revoke', form: { token: token.accessToken } });
    this.#token = undefined;
    this.#unregister();
    if (this.#keyFile !== undefined) writeKeyFile(this.#keyFile, { version: 1, key: this.#key.toPrivateJwk() });
  }

  /** Done with this client: revokes an ephemeral token; a key-file token stays for the next run. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ephemeral) await this.revoke();
    this.#unregister();
  }

  #live(): StoredToken {
    if (this.#closed || this.#token === undefined) throw new InvalidTokenError('invalid_token', 'This Valetkey client was closed or its token revoked.');
    return this.#token;
  }

  async #call(c: Omit<Call, 'token' | 'key'>): Promise<Record<string, unknown>> {
    const token = this.#live();
    const bound = token.tokenType === 'DPoP';
    try {
      return await this.#http.call({ ...c, token: { value: token.accessToken, scheme: bound ? 'DPoP' : 'Bearer' }, ...(bound ? { key: this.#key } : {}) });
    } catch (e) {
      // The engine says invalid_token for every dead token; the SDK knows when it merely expired.
      if (e instanceof InvalidTokenError && token.expiresAt <= Date.now() + 5000) {
        throw new TokenExpiredError('invalid_token', 'The token has expired. Connect again for a new one.', e.status);
      }
      throw e;
    }
  }
}
