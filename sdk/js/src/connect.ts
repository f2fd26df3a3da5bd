/**
 * Getting a token for `Valetkey.connect` (docs/tokens.md §3): reuse the one in the key file while
 * it lives, else redeem an enrollment code (option or VALETKEY_ENROLL_CODE), else ask the person
 * through the device flow (scopes + reason). The key is this process's own unless a key file
 * keeps it.
 */
import { basename, extname } from 'node:path';
import { AgentClient } from './agent-client.js';
import { AgentHttp } from './agent-http.js';
import { deviceFlow, printUserCode, type UserCodeInfo } from './device-flow.js';
import { DpopKey } from './dpop-key.js';
import { findEndpoint, type Env } from './endpoint.js';
import { ValetkeyError, makeError } from './errors.js';
import { KeyFileStore, type StoredToken } from './key-file.js';
import { lifespanSeconds, type Lifespan } from './lifespan.js';
import type { OnWaiting } from './waiting.js';
import type { TokenAnswer } from './token-answer.js';

export interface ConnectOptions {
  /** Why the agent needs secrets: the default reason of every read, and what the device-flow prompt shows. */
  readonly reason: string;
  /** A one-time code from the app (`vke_...`); default: $VALETKEY_ENROLL_CODE. */
  readonly enrollCode?: string;
  /** Device flow: what to ask for, e.g. `["vault:Accounting:read"]`. */
  readonly scopes?: readonly string[];
  /** Device flow: how long the token should live (seconds or 1h, 1d, 7d, 30d, 1y); default 1 h. */
  readonly lifespan?: Lifespan;
  /** The agent's name: for an enrollment code, the token's name as created in the app. Default $VALETKEY_AGENT_NAME. */
  readonly name?: string;
  /** `http://127.0.0.1:PORT` or a socket path; default: $VALETKEY_AGENT_SOCKET, $VALETKEY_AGENT_URL, the discovery file. */
  readonly endpoint?: string;
  /** Keep the key and token in this 0600 file across runs (default: memory only). */
  readonly keyFile?: string;
  /** Revoke the token when the process exits or on close(). Default: true without a key file, false with one. */
  readonly revokeOnExit?: boolean;
  /** Device flow: called with the user code to show; default: printed to stderr. */
  readonly onUserCode?: (info: UserCodeInfo) => void;
  /**
   * Called once when a read or use() is held for a person's approval (after a second without an
   * answer); default: the CLI's "waiting for approval in Valetkey (…)" line on stderr; null: silent.
   */
  readonly onWaiting?: OnWaiting;
  /** Per-request time limit in ms (default 180 000: approvals wait for a person). */
  readonly timeoutMs?: number;
  /** Environment to read VALETKEY_* from (default process.env). */
  readonly env?: Env;
}

export interface Connection {
  readonly client: AgentClient;
  readonly key: DpopKey;
  readonly token: StoredToken;
  readonly store: KeyFileStore | undefined;
}

/** A stored token is reused only with a minute of life left. */
const REUSE_MARGIN_MS = 60_000;

export async function obtainToken(o: ConnectOptions): Promise<Connection> {
  const env = o.env ?? process.env;
  const http = new AgentHttp(findEndpoint(o.endpoint, env), o.timeoutMs);
  const store = o.keyFile === undefined ? undefined : new KeyFileStore(o.keyFile);
  const stored = await store?.load();
  const key = stored === undefined ? DpopKey.generate() : DpopKey.fromPrivateJwk(stored.key);
  const client = new AgentClient(http, key);
  if (stored?.token !== undefined && stored.token.expiresAt - REUSE_MARGIN_MS > Date.now()) {
    return { client, key, token: stored.token, store };
  }
  const answer = await newToken(client, o, env, o.name ?? (env.VALETKEY_AGENT_NAME || undefined));
  const token: StoredToken = { accessToken: answer.accessToken, tokenType: answer.tokenType, expiresAt: Date.now() + answer.expiresIn * 1000, scope: answer.scope };
  await store?.save({ version: 1, key: key.toPrivateJwk(), token });
  return { client, key, token, store };
}

async function newToken(client: AgentClient, o: ConnectOptions, env: Env, name: string | undefined): Promise<TokenAnswer> {
  const code = o.enrollCode ?? (env.VALETKEY_ENROLL_CODE || undefined);
  if (code !== undefined) return enroll(client, code, name);
  if (o.scopes === undefined || o.scopes.length === 0) {
    throw makeError('invalid_request', 'Valetkey.connect needs an enrollCode (or VALETKEY_ENROLL_CODE), or scopes to ask the person for.');
  }
  const lifespan = lifespanSeconds(o.lifespan);
  return deviceFlow(client, {
    name: name ?? defaultName(),
    scopes: o.scopes,
    reason: o.reason,
    ...(lifespan === undefined ? {} : { lifespanSeconds: lifespan }),
    onUserCode: o.onUserCode ?? printUserCode,
  });
}

/** The code binds the token to this key for good (or, for a token the person made as bearer, to none). */
async function enroll(client: AgentClient, code: string, name: string | undefined): Promise<TokenAnswer> {
  try {
    return await client.enroll(code, name);
  } catch (e) {
    if (e instanceof ValetkeyError && e.code === 'invalid_client') {
      throw makeError('invalid_client', 'The enrollment needs the token’s name as created in the app: pass `name` to Valetkey.connect or set VALETKEY_AGENT_NAME.', e.status);
    }
    throw e;
  }
}

function defaultName(): string {
  const script = process.argv[1];
  const base = script === undefined ? '' : basename(script, extname(script));
  return (base || 'node-agent').slice(0, 100);
}
