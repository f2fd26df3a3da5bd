/**
 * The tools that reach vaults: list_vaults, list_entries, get_secret and use_secret. Each is one
 * call to the agent endpoint through McpAgent; the engine checks scope, reason, approvals and
 * allowed hosts, and audits. Descriptions are written for the model that picks the tool.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpAgent } from './mcp-agent.js';
import { guarded, jsonResult, textResult } from './tool-results.js';

const REASON = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .describe('Why you need it, in a sentence the person will read (shown in approval prompts and kept in the audit log). Required.');

const REFERENCE = z
  .string()
  .min(7)
  .max(1024)
  .regex(/^vk:\/\//, 'a reference starts with vk://')
  .describe('vk://<vault>/<entry>/<field>, e.g. vk://Accounting/Bank/password; vk://<vault>/<entry>?attribute=otp for a current TOTP code. Vault and entry by name or id; percent-encode "/", "?", "#", "%" and spaces in names.');

const FETCH_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const REQUEST = z
  .object({
    method: z.enum(FETCH_METHODS).default('GET').describe('HTTP method.'),
    url: z.string().min(1).max(8192).describe('https://host/path?query. Placeholders may appear in the path and query, never in the host.'),
    headers: z.record(z.string(), z.string()).optional().describe('Request headers; values may hold placeholders, e.g. {"Authorization": "Bearer {{vk://Ops/GitHub/api_key}}"}.'),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .optional()
      .describe('A string is sent as is; an object or array is sent as JSON (placeholders inside are JSON-escaped).'),
  })
  .describe('The HTTP request to send, with {{vk://vault/entry/field}} placeholders where secrets go.');

export function registerSecretTools(server: McpServer, agent: McpAgent): void {
  server.registerTool(
    'list_vaults',
    {
      title: 'List Valetkey vaults',
      description: 'Lists the vaults this agent’s Valetkey token may reach, with the actions allowed on each ("read" reveals values, "use" only lets Valetkey use them for you) and whether the person must approve each access. Never returns a secret.',
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    () => guarded(async () => jsonResult({ vaults: await agent.listVaults() })),
  );

  server.registerTool(
    'list_entries',
    {
      title: 'List entries of a vault',
      description: 'Lists the entries of one vault that the token may read or use: id, title, kind, field names and allowed actions. Never returns a secret. Use the vault and entry names with field names to build vk:// references.',
      inputSchema: { vault: z.string().min(1).max(200).describe('The vault’s name or id, as list_vaults shows it.') },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ vault }) => guarded(async () => jsonResult(await agent.listEntries(vault))),
  );

  server.registerTool(
    'get_secret',
    {
      title: 'Read a secret',
      description: 'Returns the value of one field of a Valetkey entry as text. Needs a token with "read" on that vault or entry, and a reason; the access is written to the audit log with your reason, and a sensitive vault waits for the person to approve. Prefer use_secret when you only need to call an API with the secret: then you never see it.',
      inputSchema: { reference: REFERENCE, reason: REASON },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    ({ reference, reason }) => guarded(async () => textResult(await agent.getSecret(reference, reason))),
  );

  server.registerTool(
    'use_secret',
    {
      title: 'Call an API with a secret, without seeing it',
      description: 'Sends an HTTP request in which Valetkey fills {{vk://vault/entry/field}} placeholders (in URL path/query, headers or body) with secret values, and returns the response with every secret value redacted. The value never comes back to you. The host must be on the entry’s list of allowed hosts (set by the person), HTTPS only; needs "use" (or "read") on the entry and a reason; audited.',
      inputSchema: { request: REQUEST, reason: REASON },
      annotations: { readOnlyHint: false, destructiveHint: true, openWorldHint: true },
    },
    ({ request, reason }) => guarded(async () => jsonResult(await agent.useSecret(request, reason))),
  );
}
