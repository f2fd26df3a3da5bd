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
