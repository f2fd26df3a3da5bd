/**
 * The Valetkey MCP server: five tools over one McpAgent. Transports (stdio, Streamable HTTP) are
 * separate files; each builds its servers here.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAccessTool } from './access-tool.js';
import type { McpAgent } from './mcp-agent.js';
import { registerSecretTools } from './secret-tools.js';

export interface McpServerOptions {
  readonly version: string;
  /** VALETKEY_AGENT_NAME or the profile's name; else the MCP client's own name is used. */
  readonly agentName?: string;
}

const INSTRUCTIONS =
  'Valetkey keeps secrets for you. Start with list_vaults and list_entries. Prefer use_secret (the secret fills an HTTP request and never comes back) ' +
  'over get_secret (reveals the value). Every access needs a reason, which the person sees. If you lack access, call request_access and show the person the code.';

export function createMcpServer(agent: McpAgent, options: McpServerOptions): McpServer {
  const server = new McpServer({ name: 'valetkey', title: 'Valetkey', version: options.version }, { capabilities: { logging: {} }, instructions: INSTRUCTIONS });
  registerSecretTools(server, agent);
  registerAccessTool(server, agent, {
    agentName: () => options.agentName ?? clientName(server) ?? 'mcp-agent',
  });
  return server;
}

function clientName(server: McpServer): string | undefined {
  const name = server.server.getClientVersion()?.name.trim();
  return name === undefined || name === '' ? undefined : name.slice(0, 100);
}
