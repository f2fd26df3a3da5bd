/**
 * The device flow (RFC 8628 §3.4-3.5, docs/tokens.md §3b): the agent asks for scopes with a
 * reason, shows the user code, and polls, signed by the same key, no faster than the engine's
 * interval (plus 5 s after each `slow_down`), until the person approves (a token), denies
 * (`access_denied`) or the code expires (`expired_token`, also when its lifetime runs out here).
 */
import type { AgentClient } from './agent-client.js';
import { makeError, ValetkeyError } from './errors.js';
import type { TokenAnswer } from './token-answer.js';

export interface UserCodeInfo {
  /** `XXXX-XXXX`: the person compares it with the prompt Valetkey shows. */
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresIn: number;
  /** The agent name the request claims. */
  readonly name: string;
  readonly scopes: readonly string[];
}

export interface DeviceRequest {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly reason: string;
  readonly lifespanSeconds?: number;
  readonly onUserCode: (info: UserCodeInfo) => void;
  /** For tests; default: setTimeout. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const SLOW_DOWN_STEP_MS = 5_000;

export async function deviceFlow(client: AgentClient, r: DeviceRequest): Promise<TokenAnswer> {
  const start = await client.startDevice({
    clientId: r.name,
    scope: r.scopes.join(' '),
    reason: r.reason,
    ...(r.lifespanSeconds === undefined ? {} : { lifespanSeconds: r.lifespanSeconds }),
  });
  r.onUserCode({ userCode: start.userCode, verificationUri: start.verificationUri, expiresIn: start.expiresIn, name: r.name, scopes: r.scopes });
  const sleep = r.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Bounded by the code's own lifetime: an engine gone quiet must not keep the agent polling for ever.
  const deadline = Date.now() + start.expiresIn * 1000;
  let intervalMs = Math.max(1, start.interval) * 1000;
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    try {
      return await client.pollDevice(start.deviceCode, r.name);
    } catch (e) {
      if (!(e instanceof ValetkeyError)) throw e;
      if (e.code === 'slow_down') intervalMs += SLOW_DOWN_STEP_MS;
      else if (e.code !== 'authorization_pending') throw e;
    }
  }
  throw makeError('expired_token', 'The request expired before the person answered. Ask again.');
}

/** What the SDK prints when the caller gave no onUserCode: to stderr, never stdout (which may be a pipe of data). */
export function printUserCode(info: UserCodeInfo): void {
  process.stderr.write(
    `Valetkey: "${info.name}" asks for ${info.scopes.join(' ')}.\n` +
      `Valetkey: approve request ${info.userCode} in the Valetkey app (check the code matches); waiting...\n`,
  );
}
