/**
 * A stand-alone agent, run as its OWN process (`node --import tsx agent-process.ts <dataDir> [tcp|socket]`):
 * it finds the engine through discovery.json, makes its own DPoP key, and obeys JSON-line commands
 * on stdin, answering each with one JSON line on stdout. Commands run concurrently (a resolve may
 * wait for a person while the test decides). Tokens and device codes stay in this process: only
 * statuses, error codes and resolved values are printed.
 *
 * Commands: {id, op: 'info'} | {id, op: 'enroll', code, name} | {id, op: 'resolve', refs, reason}
 *   | {id, op: 'vaults'} | {id, op: 'device', clientId, scope, reason} | {id, op: 'poll', untilDone?}
 *   | {id, op: 'revoke'} | {id, op: 'walk', reason}
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AgentClient, type AgentResponse, type EndpointTarget } from '../helpers/agent-client.js';
import type { WalkStep } from './agent-process-client.js';

const ENROLLMENT = 'urn:valetkey:params:oauth:grant-type:enrollment';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';

type Command = { readonly id: number; readonly op: string } & Record<string, unknown>;

interface State {
  token?: string;
  device?: { readonly code: string; readonly clientId: string; interval: number; lastPoll: number };
}

function target(dataDir: string, via: string): EndpointTarget {
  const discovery = JSON.parse(readFileSync(join(dataDir, 'discovery.json'), 'utf8')) as { url: string; socketPath: string };
  return via === 'socket' ? { via: 'socket', socketPath: discovery.socketPath } : { via: 'tcp', port: Number(new URL(discovery.url).port) };
}

/** What the test sees of an answer: never a token or a device code. */
function summary(res: AgentResponse): Record<string, unknown> {
  const { access_token: _token, device_code: _code, ...body } = (res.body ?? {}) as Record<string, unknown>;
  return { status: res.status, body, hadToken: typeof _token === 'string' };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function poll(agent: AgentClient, state: State, untilDone: boolean): Promise<Record<string, unknown>> {
  const device = state.device;
  if (device === undefined) throw new Error('no device request');
  for (;;) {
    // A well-behaved client never polls faster than the interval (RFC 8628 §3.5).
    if (untilDone) await sleep(device.lastPoll + device.interval * 1000 - Date.now());
    const res = await agent.call('POST', '/v1/token', { form: { grant_type: DEVICE_CODE, device_code: device.code, client_id: device.clientId } });
    device.lastPoll = Date.now(); // after the answer: the engine counts from when it saw the poll
    if (res.status === 200) state.token = res.body.access_token as string;
    const error = res.body?.error as string | undefined;
    if (!untilDone || (error !== 'authorization_pending' && error !== 'slow_down')) return summary(res);
    if (error === 'slow_down') device.interval += 5;
  }
}

/** A prompt-injected agent: list every vault and entry it can see, then read each field in turn. */
async function walk(agent: AgentClient, token: string, reason: string): Promise<WalkStep[]> {
  const steps: WalkStep[] = [];
  const step = (name: string, res: AgentResponse): AgentResponse => {
    const error = res.body?.error as string | undefined;
    const values = res.body?.values as Record<string, string> | undefined;
    const items = res.body?.entries as Record<string, unknown>[] | undefined;
    const shapes = items?.map((i) => Object.keys(i).sort().join(','));
    steps.push({ step: name, status: res.status, ...(error ? { error } : {}), ...(values ? { values } : {}), ...(shapes ? { shapes } : {}) });
    return res;
  };
  const vaults = step('vaults', await agent.call('GET', '/v1/vaults', { token }));
  for (const vault of (vaults.body?.vaults ?? []) as { id: string }[]) {
    const entries = step(`entries ${vault.id}`, await agent.call('GET', `/v1/vaults/${vault.id}/entries`, { token }));
    for (const entry of (entries.body?.entries ?? []) as { id: string; title: string; fieldNames: string[] }[]) {
      for (const field of entry.fieldNames) {
        const ref = `vk://${vault.id}/${entry.id}/${field}`;
        step(`resolve ${entry.title}/${field}`, await agent.call('POST', '/v1/resolve', { token, json: { refs: [ref], reason } }));
      }
    }
  }
  return steps;
}

async function run(agent: AgentClient, state: State, c: Command): Promise<Record<string, unknown>> {
  switch (c.op) {
    case 'info':
      return { jkt: agent.jkt };
    case 'enroll': {
      const res = await agent.call('POST', '/v1/token', { form: { grant_type: ENROLLMENT, enrollment_code: String(c.code), client_id: String(c.name) } });
      if (res.status === 200) state.token = res.body.access_token as string;
      return summary(res);
    }
    case 'resolve':
      return summary(await agent.call('POST', '/v1/resolve', { token: state.token ?? '', json: { refs: c.refs, reason: c.reason } }));
    case 'vaults':
      return summary(await agent.call('GET', '/v1/vaults', { token: state.token ?? '' }));
    case 'device': {
      const form = { client_id: String(c.clientId), scope: String(c.scope), reason: String(c.reason) };
      const res = await agent.call('POST', '/v1/device_authorization', { form });
      if (res.status === 200) state.device = { code: res.body.device_code as string, clientId: form.client_id, interval: Number(res.body.interval), lastPoll: 0 };
      return summary(res);
    }
    case 'poll':
      return poll(agent, state, c.untilDone === true);
    case 'revoke':
      return summary(await agent.call('POST', '/v1/revoke', { form: { token: state.token ?? '' }, proof: false }));
    case 'walk':
      return { steps: await walk(agent, state.token ?? '', String(c.reason)) };
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

async function main(): Promise<void> {
  const [dataDir, via = 'tcp'] = process.argv.slice(2);
  if (dataDir === undefined) throw new Error('usage: agent-process.ts <dataDir> [tcp|socket]');
  const agent = await AgentClient.create(target(dataDir, via));
  const state: State = {};
  const pending: Promise<void>[] = [];
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === '') continue;
    const c = JSON.parse(line) as Command;
    pending.push(
      run(agent, state, c).then(
        (result) => void process.stdout.write(`${JSON.stringify({ id: c.id, ...result })}\n`),
        (e: unknown) => void process.stdout.write(`${JSON.stringify({ id: c.id, failed: e instanceof Error ? e.message : String(e) })}\n`),
      ),
    );
  }
  await Promise.all(pending);
}

main().catch((e: unknown) => {
  process.stderr.write(`agent: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
