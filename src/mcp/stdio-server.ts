/**
 * `valetkey mcp` over stdio: the MCP client starts this process and speaks JSON-RPC on its stdin
 * and stdout. stdout is the protocol channel, so nothing else may write there. Resolves when the
 * client closes stdin or the process is told to stop.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { McpAgent } from './mcp-agent.js';
import { createMcpServer, type McpServerOptions } from './mcp-server.js';

export async function serveStdio(agent: McpAgent, options: McpServerOptions): Promise<void> {
  const server = createMcpServer(agent, options);
  const transport = new StdioServerTransport();
  const stopped = untilStopped(transport);
  await server.connect(transport);
  await stopped;
  await server.close();
}

/** The SDK's stdio transport does not watch for end of input; a client closing stdin means goodbye. */
function untilStopped(transport: StdioServerTransport): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.stdin.once('end', done);
    process.stdin.once('close', done);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    transport.onclose = done;
  });
}
