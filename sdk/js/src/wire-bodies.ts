/**
 * The JSON bodies this client sends to the agent endpoint. The engine parses each with its own
 * schema (src/shared/wire-schemas), and a type-level check there proves the two agree.
 */
import type { FetchRequest, SshSignRequest } from './agent-client.js';

/** Every request that reads or uses a secret says why (reason.ts). */
export interface Reasoned {
  readonly reason: string;
}

export interface ResolveBody extends Reasoned {
  readonly refs: readonly string[];
}

/** `/v1/fetch` and `/v1/proxy/request` carry the same body. */
export interface FetchBody extends Reasoned {
  readonly request: FetchRequest;
}

/** The host a login is for (`https://host[:port]`) and, when the tool knows it, the account. */
export interface CredentialRequest {
  readonly url: string;
  readonly username?: string;
}

export type CredentialBody = CredentialRequest & Reasoned;

export type SshSignBody = SshSignRequest & Reasoned;

export interface ProxyConnectBody {
  readonly host: string;
  readonly publicKey: string;
}

/*
 * The OAuth endpoints' forms (RFC 6749, 8628, 8693, 7009): every value is text. Type aliases, not
 * interfaces, so each is a `Record<string, string>` the form encoder takes.
 */

export type DeviceAuthorizationForm = {
  readonly client_id: string;
  readonly scope: string;
  readonly reason: string;
  /** Seconds, as decimal text. */
  readonly lifespan?: string;
  /** RFC 9449 §10: the key the token will be bound to, when no proof is sent with the request. */
  readonly dpop_jkt?: string;
};

export type DeviceCodeForm = {
  readonly grant_type: string;
  readonly device_code: string;
  readonly client_id: string;
};

export type EnrollmentForm = {
  readonly grant_type: string;
  readonly enrollment_code: string;
  readonly client_id?: string;
};

export type TokenExchangeForm = {
  readonly grant_type: string;
  readonly subject_token: string;
  readonly subject_token_type: string;
  readonly actor_jkt: string;
  readonly actor_name: string;
  readonly scope?: string;
  readonly expires_in?: string;
  readonly requested_token_type?: string;
};

export type RevokeForm = {
  readonly token: string;
};
