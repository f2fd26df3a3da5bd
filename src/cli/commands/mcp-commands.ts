/**
 * `valetkey mcp`: the MCP server (src/mcp) for AI clients, over stdio or, with --http, Streamable
 * HTTP on 127.0.0.1. Its credentials: VALETKEY_ENROLL_CODE (redeemed at start with a key kept in
 * memory only), else the stored `valetkey login` profile, else none until request_access. The MCP
 * client never sees the token. On stdio, stdout belongs to the protocol: only stderr is written.
 */
import { VkError } from '../../shared/errors.js';
import { DpopKey } from '../../../sdk/js/src/dpop-key.js';
import { VALETKEY_VERSION as ENGINE_VERSION } from '../../shared/version.js';
import type { McpAgent } from '../../mcp/mcp-agent.js';
import { flag, value, type Command, type ParsedArgs } from '../command.js';
import type { CliContext } from '../context.js';
import { readProfile, secretStoreFor } from '../agent/agent-profile.js';
import { PROFILE_OPTION, endpointOf, profileName } from '../agent/agent-session.js';

interface Started {
  readonly agent: McpAgent;
  readonly agentName: string | undefined;
  readonly source: string;
}

function configuredName(args: ParsedArgs): string | undefined {
  const name = (value(args, 'name') ?? process.env.VALETKEY_AGENT_NAME ?? '').trim();
  return name === '' ? undefined : name;
}

/** What `valetkey login` stored: its key and token. Unlike openAgentSession, it needs no running engine. */
async function fromProfile(ctx: CliContext, profile: string, McpAgentClass: typeof McpAgent): Promise<{ agent: McpAgent; name: string } | undefined> {
  const stored = readProfile(ctx.paths.dataDir, profile);
  if (stored === undefined) return undefined;
  const secrets = await secretStoreFor(stored.store, ctx.paths.dataDir, profile).load();
  if (secrets === undefined || Date.parse(stored.expiresAt) <= Date.now()) {
    // An expired or incomplete login leaves request_access, which asks the person for a new token.
    ctx.err(`valetkey mcp: the login of profile ${profile} is expired or incomplete; starting without a token.`);
    return undefined;
  }
  const key = secrets.privateJwk === null ? null : DpopKey.fromPrivateJwk(secrets.privateJwk);
  const credential = { accessToken: secrets.accessToken, tokenType: stored.tokenType };
  return { agent: new McpAgentClass(key, () => endpointOf(ctx), credential), name: stored.name };
}

async function openAgent(ctx: CliContext, args: ParsedArgs): Promise<Started> {
  const { McpAgent: McpAgentClass } = await import('../../mcp/mcp-agent.js');
  const name = configuredName(args);
  const locate = () => endpointOf(ctx);
  const code = (process.env.VALETKEY_ENROLL_CODE ?? '').trim();
  if (code !== '') {
    if (name === undefined) throw new VkError('invalid_client', 'VALETKEY_ENROLL_CODE needs VALETKEY_AGENT_NAME (or --name): the token’s name as created in Valetkey');
    return { agent: await McpAgentClass.enroll(locate, code, name), agentName: name, source: 'enrollment code (key in memory only)' };
  }
  const profile = profileName(args);
  const stored = await fromProfile(ctx, profile, McpAgentClass);
  if (stored !== undefined) return { agent: stored.agent, agentName: name ?? stored.name, source: `profile ${profile}` };
  return { agent: new McpAgentClass(DpopKey.generate(), locate, undefined), agentName: name, source: 'no token yet (request_access asks the person)' };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new VkError('invalid_request', '--port takes 0 to 65535 (0 picks a free port)');
  return port;
}

async function serveHttp(ctx: CliContext, started: Started, port: number): Promise<void> {
  const { startMcpHttp } = await import('../../mcp/http-server.js');
  const { chooseSecret } = await import('../../mcp/http-secret.js');
  const secret = chooseSecret(process.env.VALETKEY_MCP_SECRET);
  const http = await startMcpHttp({ agent: started.agent, port, secret, version: ENGINE_VERSION, ...(started.agentName === undefined ? {} : { agentName: started.agentName }) });
  // The secret is shown once to the person who started the server, like the dashboard's login URL.
  if (ctx.json) ctx.out(JSON.stringify({ url: http.url, port: http.port, authorization: `Bearer ${secret}` }));
  ctx.err(`Valetkey MCP server (Streamable HTTP) at ${http.url}, acting with: ${started.source}.`);
  ctx.err(`MCP clients must send the header  Authorization: Bearer ${secret}`);
  await signalled();
  await http.close();
}

function signalled(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

export const mcpCommands: readonly Command[] = [
  {
    words: ['mcp'],
    summary: 'Run the MCP server for AI clients (stdio, or --http on 127.0.0.1); it holds the token, the client never sees it',
    usage: '[--http [--port N]] [--name NAME] [--profile P]',
    details:
      'Tools: list_vaults, list_entries, get_secret, use_secret, request_access. Credentials, in this order:\n' +
      '  VALETKEY_ENROLL_CODE + VALETKEY_AGENT_NAME   a one-time code from Valetkey, redeemed at start; the key lives in memory only\n' +
      '  a `valetkey login` profile (--profile, default $VALETKEY_PROFILE or "default")\n' +
      '  none: request_access asks the person (device flow) and keeps the token for this session.\n' +
      'Tokens this process obtained itself are revoked when it exits.\n' +
      'With --http: Streamable HTTP at http://127.0.0.1:PORT/mcp (--port, default a free port), loopback Host only,\n' +
      'no browser Origin, and every request must carry  Authorization: Bearer <secret>  (printed at start;\n' +
      'VALETKEY_MCP_SECRET pins it, 32+ characters). Config for stdio clients:\n' +
      '  {"mcpServers":{"valetkey":{"command":"npx","args":["valetkey","mcp"],"env":{"VALETKEY_ENROLL_CODE":"vke_...","VALETKEY_AGENT_NAME":"my-agent"}}}}',
    options: { http: { type: 'boolean' }, port: { type: 'string' }, name: { type: 'string' }, ...PROFILE_OPTION },
    async run(ctx, args) {
      const port = parsePort(value(args, 'port'));
      if (!flag(args, 'http') && port !== 0) throw new VkError('invalid_request', '--port goes with --http');
      const started = await openAgent(ctx, args);
      try {
        if (flag(args, 'http')) {
          await serveHttp(ctx, started, port);
        } else {
          const { serveStdio } = await import('../../mcp/stdio-server.js');
          ctx.err(`valetkey mcp: serving over stdio, acting with: ${started.source}.`);
          await serveStdio(started.agent, { version: ENGINE_VERSION, ...(started.agentName === undefined ? {} : { agentName: started.agentName }) });
        }
      } finally {
        await started.agent.shutdown();
      }
    },
  },
];
