/**
 * The agent's side of the device flow (RFC 8628 §3.4-3.5): ask, show the user code, then poll no
 * faster than the interval, adding 5 s on `slow_down`, until the person approves (a token),
 * denies (`access_denied`) or the code expires (`expired_token`).
 */
import { isVkError, VkError } from '../errors.js';
import type { AgentClient, DeviceStart, TokenAnswer } from './agent-client.js';

export interface DeviceLoginInput {
  readonly clientId: string;
  readonly scope: string;
  readonly reason: string;
  readonly lifespanSeconds: number;
}

export interface DeviceLoginHooks {
  /** Called once with the user code to show the person. */
  onCode(start: DeviceStart): void;
  /** Waits; a test may shorten nothing here, the engine enforces the interval anyway. */
  sleep?(ms: number): Promise<void>;
}

const SLOW_DOWN_STEP_MS = 5_000;

export async function deviceLogin(client: AgentClient, input: DeviceLoginInput, hooks: DeviceLoginHooks): Promise<TokenAnswer> {
  const start = await client.startDevice(input);
  hooks.onCode(start);
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const deadline = Date.now() + start.expiresIn * 1000;
  let intervalMs = Math.max(1, start.interval) * 1000;
  while (Date.now() < deadline) {
    await sleep(intervalMs);
    try {
      return await client.pollDevice(start.deviceCode, input.clientId);
    } catch (e) {
      if (!isVkError(e)) throw e;
      if (e.code === 'slow_down') intervalMs += SLOW_DOWN_STEP_MS;
      else if (e.code !== 'authorization_pending') throw e;
    }
  }
  throw new VkError('expired_token');
}
