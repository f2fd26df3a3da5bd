/**
 * The agent the MCP server acts as: it holds the DPoP key (in memory, or loaded from a login) and the access
 * token, and answers the tools with what the engine says. The token never leaves this object
 * except towards the engine; tool results carry values, listings and refusals, never a credential.
 */
import { VkError } from '../shared/errors.js';
import { AgentClient, type Credential, type VaultEntries } from '../../sdk/js/src/agent-client.js';
import type { VaultListing } from '../../sdk/js/src/valetkey.js';
import { AgentHttp } from '../../sdk/js/src/agent-http.js';
import { DpopKey } from '../../sdk/js/src/dpop-key.js';
import type { Endpoint } from '../../sdk/js/src/endpoint.js';
import { ValetkeyError } from '../../sdk/js/src/errors.js';
import type { TokenAnswer } from '../../sdk/js/src/token-answer.js';
import type { FetchAnswer, FetchRequestInput } from '../shared/model.js';
import { DeviceAccess, type AccessOutcome, type AccessRequest, type WaitOptions } from './device-access.js';

const REVOKE_TIMEOUT_MS = 3_000;

export class McpAgent {
  private credential: Credential | undefined;
  /** Tokens this process obtained itself; nobody else holds them, so they are revoked at shutdown. */
  private readonly ephemeral: string[] = [];
  private readonly access: DeviceAccess;
  private linked: { readonly where: string; readonly client: AgentClient } | undefined;

  /**
   * `locate` is asked again on every call: an MCP client may start this server before the engine,
   * and an engine restarted on a new port is found without restarting the MCP client.
   */
  constructor(
    private readonly key: DpopKey | null,
    private readonly locate: () => Endpoint,
    initial: Credential | undefined,
  ) {
    this.credential = initial;
    this.access = new DeviceAccess(() => this.client());
  }

  /** A fresh key, kept in memory only, and a one-time code from the app redeemed with it. */
  static async enroll(locate: () => Endpoint, code: string, name: string): Promise<McpAgent> {
    const agent = new McpAgent(DpopKey.generate(), locate, undefined);
    agent.adopt(await redeem(agent.client(), code, name));
    return agent;
  }

  listVaults(): Promise<readonly VaultListing[]> {
    const cred = this.current();
    return this.client().listVaults(cred);
  }

  listEntries(vault: string): Promise<VaultEntries> {
    const cred = this.current();
    return this.client().listEntries(cred, vault);
  }

  async getSecret(reference: string, reason: string): Promise<string> {
    const cred = this.current();
    const values = await this.client().resolve(cred, [reference], reason);
    const value = values[reference];
    if (typeof value !== 'string') throw new VkError('internal_error');
    return value;
  }

  useSecret(request: FetchRequestInput, reason: string): Promise<FetchAnswer> {
    const cred = this.current();
    return this.client().fetch(cred, request, reason);
  }

  /** Asks the person (device flow); an approved token replaces the current one for this session. */
  async requestAccess(req: AccessRequest, options: WaitOptions): Promise<AccessOutcome> {
    const outcome = await this.access.request(req, options);
    if (outcome.status === 'approved') this.adopt(outcome.token);
    return outcome;
  }

  /** Best effort and bounded: an engine that is gone must not keep the MCP client waiting. */
  async shutdown(): Promise<void> {
    const tokens = this.ephemeral.splice(0);
    this.credential = undefined;
    const revoke = Promise.allSettled(tokens.map((t) => this.client().revoke(t)));
    await Promise.race([revoke, new Promise((resolve) => setTimeout(resolve, REVOKE_TIMEOUT_MS).unref())]);
  }

  private adopt(token: TokenAnswer): void {
    this.credential = { accessToken: token.accessToken, tokenType: token.tokenType };
    this.ephemeral.push(token.accessToken);
  }

  /** One client (it keeps the latest server nonce) for as long as the engine stays where it was. */
  private client(): AgentClient {
    const where = this.locate();
    const id = JSON.stringify(where);
    if (this.linked?.where !== id) this.linked = { where: id, client: new AgentClient(new AgentHttp(where), this.key) };
    return this.linked.client;
  }

  private current(): Credential {
    if (this.credential === undefined) throw new VkError('invalid_token', 'this MCP server has no token yet: call request_access to ask the person for one');
    return this.credential;
  }
}

/** A name that does not match the code's token is told which setting to fix. */
async function redeem(client: AgentClient, code: string, name: string): Promise<TokenAnswer> {
  try {
    return await client.enroll(code, name);
  } catch (e) {
    if (e instanceof ValetkeyError && e.code === 'invalid_client') {
      throw new VkError('invalid_client', 'set VALETKEY_AGENT_NAME to the token’s name exactly as it was created in Valetkey');
    }
    throw e;
  }
}
