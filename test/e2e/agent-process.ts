/**
 * A stand-in agent, run as its own process (`node --import tsx test/e2e/agent-process.ts`): it
 * holds its own DPoP key, finds the agent endpoint through the discovery file in
 * $VALETKEY_HOME, redeems an enrollment code and reads `vk://` references, as the SDKs do.
 * Driven by JSON lines on stdin, answering JSON lines on stdout:
 *   {"id":1,"op":"enroll","code":"…","name":"ci-bot"}  → {"id":1,"ok":true}
 *   {"id":2,"op":"read","ref":"vk://…","reason":"…"}   → {"id":2,"ok":true,"value":"…"} | {"id":2,"ok":false,"status":403,"error":"approval_denied"}
 * Requests run concurrently, so a read can wait for a person's approval while the test goes on.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dataPaths } from '../../src/core/config/data-dir.js';
import { GRANT_TYPES } from '../../src/core/endpoint/grant-types.js';
import { AgentClient, type AgentResponse } from '../helpers/agent-client.js';

type Command = { id: number; op: 'enroll'; code: string; name: string } | { id: number; op: 'read'; ref: string; reason: string };

const home = process.env['VALETKEY_HOME'];
if (home === undefined) throw new Error('VALETKEY_HOME is not set');
const discovery = JSON.parse(readFileSync(dataPaths(home).discovery, 'utf8')) as { url: string };
const agent = await AgentClient.create({ via: 'tcp', port: Number(new URL(discovery.url).port) });
let accessToken: string | undefined;

function reply(id: number, res: AgentResponse, value?: unknown): void {
  const ok = res.status === 200;
  const answer = ok ? { id, ok, ...(value === undefined ? {} : { value }) } : { id, ok, status: res.status, error: String(res.body?.error ?? 'no_json') };
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

async function run(c: Command): Promise<void> {
  if (c.op === 'enroll') {
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: GRANT_TYPES.enrollment, enrollment_code: c.code, client_id: c.name } });
    if (res.status === 200) accessToken = String(res.body.access_token);
    return reply(c.id, res);
  }
  const res = await agent.call('POST', '/v1/resolve', { token: accessToken ?? 'none', json: { refs: [c.ref], reason: c.reason } });
  return reply(c.id, res, res.status === 200 ? res.body.values[c.ref] : undefined);
}

for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  const c = JSON.parse(line) as Command;
  run(c).catch((e: unknown) => process.stdout.write(`${JSON.stringify({ id: c.id, ok: false, status: 0, error: (e as Error).name })}\n`));
}
