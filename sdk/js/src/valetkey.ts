/**
 * One agent's connection to Valetkey: its key, its token, and the calls an agent makes with them
 * (docs/tokens.md §6): read and resolve `vk://` references with a reason, use a secret without
 * seeing it (`/v1/fetch`), list what the token can see, mint a narrower token for a sub-agent,
 * and give the token up. An ephemeral token is revoked when the process exits.
 */
import { AgentClient, type Credential } from './agent-client.js';
import { obtainToken, type ConnectOptions } from './connect.js';
import { jwtPayload } from './base64url.js';
import { DpopKey } from './dpop-key.js';
import { InvalidTokenError, TokenExpiredError, ValetkeyError } from './errors.js';
import { revokeAtExit } from './exit-revoker.js';
import { checkReason } from './reason.js';
import type { KeyFileStore, StoredToken } from './key-file.js';
import { lifespanSeconds, type Lifespan } from './lifespan.js';
import { ACCESS_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './token-answer.js';
import { placeholderRefs, printWaiting, withWaitingNotice, type OnWaiting } from './waiting.js';
import type { TokenExchangeForm } from './wire-bodies.js';

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

/** The target's answer, every substituted value (and its encoded forms) replaced by `[REDACTED:vk://…]` by the engine. */
export interface UseResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** UTF-8 text, or base64 when the body is not valid UTF-8 (see bodyEncoding). */
  readonly body: string;
  readonly bodyEncoding: 'utf8' | 'base64';
  /** How many occurrences the engine replaced, in headers and body. */
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
  readonly client: AgentClient;
  readonly key: DpopKey;
  readonly token: StoredToken;
  readonly reason: string;
  readonly revokeOnExit: boolean;
  readonly onWaiting: OnWaiting;
  readonly store?: KeyFileStore | undefined;
}

export class Valetkey {
  readonly #client: AgentClient;
  readonly #key: DpopKey;
  readonly #reason: string;
  readonly #ephemeral: boolean;
  readonly #store: KeyFileStore | undefined;
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
    this.#client = init.client;
    this.#key = init.key;
    this.#reason = init.reason;
    this.#ephemeral = init.revokeOnExit;
    this.#store = init.store;
    this.#onWaiting = init.onWaiting;
    this.#token = init.token;
    const claims = jwtPayload(init.token.accessToken);
    this.tokenId = typeof claims.jti === 'string' ? claims.jti : '';
    this.name = typeof claims.client_id === 'string' ? claims.client_id : '';
    this.scope = init.token.scope || (typeof claims.scope === 'string' ? claims.scope : '');
    this.expiresAt = new Date(init.token.expiresAt);
    this.#unregister = init.revokeOnExit
      ? revokeAtExit({ endpoint: init.client.http.endpoint, pendingToken: () => this.#token?.accessToken, revoke: () => this.revoke() })
      : () => undefined;
  }

  /** Finds the engine, gets a token (key file, enrollment code or device flow) and returns a ready client. */
  static async connect(options: ConnectOptions): Promise<Valetkey> {
    const { client, key, token, store } = await obtainToken(options);
    return new Valetkey({
      client,
      key,
      token,
      reason: options.reason,
      revokeOnExit: options.revokeOnExit ?? store === undefined,
      onWaiting: options.onWaiting === undefined ? printWaiting : options.onWaiting,
      store,
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
    return withWaitingNotice(refs, this.#onWaiting, this.#call((cred) => this.#client.resolve(cred, refs, reason)));
  }

  /** The engine fills in the placeholders, sends the request to an allowed host, and returns the redacted answer. */
  async use(request: UseRequest, options: CallOptions = {}): Promise<UseResponse> {
    const reason = checkReason(options.reason ?? this.#reason);
    return withWaitingNotice(placeholderRefs(JSON.stringify(request)), this.#onWaiting, this.#call((cred) => this.#client.fetch(cred, request, reason)));
  }

  async vaults(): Promise<readonly VaultListing[]> {
    return this.#call((cred) => this.#client.listVaults(cred));
  }

  /** Entries of a vault (id or name) this token may read or use; never a value. */
  async entries(vault: string): Promise<readonly EntryListing[]> {
    return (await this.#call((cred) => this.#client.listEntries(cred, vault))).entries;
  }

  /**
   * A narrower, no-longer-lived token for a sub-agent (RFC 8693), bound to a new key of its own.
   * This agent's key signs the request; revoking this token revokes the sub-agent's too.
   */
  async exchange(options: ExchangeOptions): Promise<Valetkey> {
    const token = this.#live();
    const subKey = DpopKey.generate();
    const ttl = lifespanSeconds(options.ttl);
    const form: TokenExchangeForm = {
      grant_type: TOKEN_EXCHANGE_GRANT,
      subject_token: token.accessToken,
      subject_token_type: ACCESS_TOKEN_TYPE,
      actor_jkt: subKey.thumbprint,
      actor_name: options.name,
      ...(options.scopes === undefined ? {} : { scope: options.scopes.join(' ') }),
      ...(ttl === undefined ? {} : { expires_in: String(ttl) }),
    };
    // A bearer token's exchange carries no proof: the client of a bearer token holds no key.
    const signer = token.tokenType === 'DPoP' ? this.#client : new AgentClient(this.#client.http, null);
    const answer = await signer.token(form, token.accessToken);
    const stored: StoredToken = { accessToken: answer.accessToken, tokenType: answer.tokenType, expiresAt: Date.now() + answer.expiresIn * 1000, scope: answer.scope };
    return new Valetkey({ client: new AgentClient(this.#client.http, subKey), key: subKey, token: stored, reason: options.reason ?? this.#reason, revokeOnExit: true, onWaiting: this.#onWaiting });
  }

  /** Gives the token up now (RFC 7009); later calls fail with InvalidTokenError. */
  async revoke(): Promise<void> {
    const token = this.#token;
    if (token === undefined) return;
    await this.#client.revoke(token.accessToken);
    this.#token = undefined;
    this.#unregister();
    await this.#store?.save({ version: 1, key: this.#key.toPrivateJwk() });
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

  async #call<T>(send: (cred: Credential) => Promise<T>): Promise<T> {
    const token = this.#live();
    try {
      return await send(token);
    } catch (e) {
      // The engine says invalid_token for every dead token; the SDK knows when it merely expired.
      if (e instanceof InvalidTokenError && token.expiresAt <= Date.now() + 5000) {
        throw new TokenExpiredError('invalid_token', 'The token has expired. Connect again for a new one.', e.status);
      }
      throw e;
    }
  }
}
