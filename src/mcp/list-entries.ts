/**
 * GET /v1/vaults/{vault}/entries (docs/tokens.md §6), which the shared AgentClient does not offer
 * yet. Built from the client's own public parts (its endpoint and DPoP key), with the same
 * one-retry nonce handshake, so the MCP server still speaks through one client.
 */
import { fromWire, VkError } from '../shared/errors.js';
import type { AgentClient, Credential } from '../shared/agent-client/agent-client.js';
import { sendAgentRequest, type AgentHttpAnswer } from '../shared/agent-client/agent-http.js';

export interface EntryListing {
  readonly vault: { readonly id: string; readonly name: string };
  readonly entries: readonly {
    readonly id: string;
    readonly title: string;
    readonly kind: string;
    readonly fieldNames: readonly string[];
    readonly hasTotp: boolean;
    readonly actions: readonly string[];
  }[];
}

export async function listEntries(client: AgentClient, cred: Credential, vault: string): Promise<EntryListing> {
  const path = `/v1/vaults/${encodeURIComponent(vault)}/entries`;
  let res = await send(client, cred, path, undefined);
  const nonce = res.headers['dpop-nonce'];
  if (errorCode(res) === 'use_dpop_nonce' && typeof nonce === 'string') res = await send(client, cred, path, nonce);
  if (res.status !== 200) throw fromWire(res.body);
  const body = res.body as Partial<EntryListing> | undefined;
  if (body?.vault === undefined || !Array.isArray(body.entries)) throw new VkError('internal_error');
  return body as EntryListing;
}

async function send(client: AgentClient, cred: Credential, path: string, nonce: string | undefined): Promise<AgentHttpAnswer> {
  const headers: Record<string, string> = { authorization: `${cred.tokenType} ${cred.accessToken}` };
  if (cred.tokenType === 'DPoP') {
    if (client.key === null) throw new VkError('invalid_token');
    const claims = { htm: 'GET', htu: `${client.where.base}${path}`, accessToken: cred.accessToken };
    headers.DPoP = await client.key.proof(nonce === undefined ? claims : { ...claims, nonce });
  }
  return sendAgentRequest(client.where, { method: 'GET', path, headers });
}

function errorCode(res: AgentHttpAnswer): string | undefined {
  const body = res.body as { error?: unknown } | undefined;
  return typeof body?.error === 'string' ? body.error : undefined;
}
