/**
 * request_access: the agent asks the person for a token (device flow). The tool shows the user
 * code (in progress and log notifications while it waits, and in its answer), waits a bounded
 * time, and keeps an approved token for this session. It cannot approve anything: approval is a
 * click or the admin passphrase in Valetkey, which no MCP message reaches.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AccessOutcome } from './device-access.js';
import type { McpAgent } from './mcp-agent.js';
import { guarded, textResult } from './tool-results.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

const DEFAULT_WAIT_SECONDS = 45;
const MAX_WAIT_SECONDS = 540;

const INPUT = {
  vaults: z.array(z.string().min(1).max(200)).min(1).max(20).describe('Vault names (or ids) to ask for.'),
  actions: z
    .array(z.enum(['read', 'use']))
    .min(1)
    .default(['use'])
    .describe('"use" lets Valetkey use secrets for you without revealing them (use_secret); "read" reveals values (get_secret). Ask for the least you need.'),
  reason: z.string().trim().min(1).max(300).describe('Why you need access, shown to the person in the approval prompt.'),
  lifespan_seconds: z.number().int().min(300).max(31_536_000).default(3600).describe('How long the token should live, 300 s to 1 year; the person may shorten it.'),
  wait_seconds: z
    .number()
    .int()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .default(DEFAULT_WAIT_SECONDS)
    .describe('How long this call waits for the person before answering "pending". Call again with the same vaults and actions to keep waiting on the same request.'),
};

export interface AccessToolOptions {
  /** The agent name shown (as claimed, not verified) in the person's prompt. */
  readonly agentName: () => string;
}

export function registerAccessTool(server: McpServer, agent: McpAgent, options: AccessToolOptions): void {
  server.registerTool(
    'request_access',
    {
      title: 'Ask the person for access',
      description:
        'Asks the person, in Valetkey’s own approval prompt, for a token to the given vaults and actions (OAuth device flow). Tell the person the user code this returns so they can check it matches the prompt. Only the person can approve, in Valetkey itself; nothing you send can approve. Once approved, the new token replaces this session’s token and the other tools use it.',
      inputSchema: INPUT,
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    (input, extra) =>
      guarded(async () => {
        const scope = input.vaults.flatMap((v) => input.actions.map((a) => `vault:${encodeScopeRef(v)}:${a}`)).join(' ');
        const request = { clientId: options.agentName(), scope, reason: input.reason, lifespanSeconds: input.lifespan_seconds };
        const waitMs = input.wait_seconds * 1000;
        const outcome = await agent.requestAccess(request, { waitMs, signal: extra.signal, onProgress: progressReporter(extra, waitMs) });
        return textResult(describeOutcome(outcome));
      }),
  );
}

function describeOutcome(o: AccessOutcome): string {
  if (o.status === 'approved') {
    return `The person approved request ${o.userCode}. This session's token now allows: ${o.token.scope} (for ${o.token.expiresIn} s).`;
  }
  return (
    `Waiting for the person. Ask them to open the Valetkey approval prompt and check it shows the code ${o.userCode}. ` +
    `The request stays open until ${o.expiresAt}; call request_access again with the same vaults and actions to keep waiting.`
  );
}

/** Progress notifications when the client asked for them, and one log line with the code either way. */
function progressReporter(extra: Extra, waitMs: number): (p: { readonly elapsedMs: number; readonly userCode: string }) => void {
  const progressToken = extra._meta?.progressToken;
  let logged = false;
  return ({ elapsedMs, userCode }) => {
    const message = `Waiting for the person to approve in Valetkey; the prompt shows the code ${userCode}.`;
    if (!logged) {
      logged = true;
      extra.sendNotification({ method: 'notifications/message', params: { level: 'notice', logger: 'valetkey', data: message } }).catch(() => undefined);
    }
    if (progressToken === undefined) return;
    const params = { progressToken, progress: Math.round(elapsedMs / 1000), total: Math.round(waitMs / 1000), message };
    extra.sendNotification({ method: 'notifications/progress', params }).catch(() => undefined);
  };
}

/** docs/tokens.md §2: a vault name with any character outside `rchar` is UTF-8 percent-encoded. */
export function encodeScopeRef(name: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(name)) {
    const c = String.fromCharCode(byte);
    const plain = byte >= 0x21 && byte <= 0x7e && !'"%/:\\'.includes(c);
    out += plain ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
