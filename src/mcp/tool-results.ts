/**
 * How tool answers look: text content, and refusals as `isError` results an agent can read and
 * act on. An error's text is its code and the engine's fixed sentence (plus a hint where the next
 * step is clear); never a stack, never request data, never a credential.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fromClientError } from '../shared/client-error.js';
import { isVkError } from '../shared/errors.js';

export function textResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }] };
}

export function jsonResult(value: unknown): CallToolResult {
  return textResult(JSON.stringify(value, null, 2));
}

const HINTS: Readonly<Record<string, string>> = {
  invalid_token: 'Call request_access to ask the person for a new token.',
  insufficient_scope: 'Call request_access with the vault and action you need; the person decides.',
  approval_denied: 'Do not retry this access without asking the person first.',
  reason_required: 'Give a reason of 1 to 300 characters saying why you need the secret.',
};

export function errorResult(thrown: unknown): CallToolResult {
  const e = fromClientError(thrown);
  if (!isVkError(e)) return { isError: true, content: [{ type: 'text', text: 'internal_error: the Valetkey MCP server hit an unexpected error. Nothing was released.' }] };
  const hint = HINTS[e.code];
  return { isError: true, content: [{ type: 'text', text: `${e.code}: ${e.message}${hint === undefined ? '' : ` ${hint}`}` }] };
}

/** Runs a tool body, turning any refusal into an error result. */
export async function guarded(run: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await run();
  } catch (e) {
    return errorResult(e);
  }
}
