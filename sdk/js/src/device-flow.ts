/**
 * The device flow (RFC 8628, docs/tokens.md §3b): the agent asks for scopes with a reason, shows
 * the user code, and polls, signed by the same key, no faster than the engine's interval (plus
 * 5 s after each `slow_down`), until the person approves or denies or the code expires.
 */
import type { AgentHttp } from './agent-http.js';
import type { DpopKey } from './dpop-key.js';
import { ValetkeyError } from './errors.js';
import { checkReason } from './reason.js';
import { DEVICE_CODE_GRANT, type TokenAnswer, tokenAnswer } from './token-answer.js';

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

export async function deviceFlow(http: AgentHttp, key: DpopKey, r: DeviceRequest): Promise<TokenAnswer> {
  const asked = await http.call({
    method: 'POST',
    path: '/v1/device_authorization',
    key,
    form: {
      client_id: r.name,
      scope: r.scopes.join(' '),
      reason: checkReason(r.reason),
      ...(r.lifespanSeconds === undefined ? {} : { lifespan: String(r.lifespanSeconds) }),
    },
  });
  const deviceCode = String(asked.device_code);
  r.onUserCode({
    userCode: String(asked.user_code),
    verificationUri: String(asked.verification_uri),
    expiresIn: Number(asked.expires_in),
    name: r.name,
    scopes: r.scopes,
  });
  return poll(http, key, r, deviceCode, Number(asked.interval) || 5);
}

async function poll(http: AgentHttp, key: DpopKey, r: DeviceRequest, deviceCode: string, interval: number): Promise<TokenAnswer> {
  const sleep = r.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let seconds = interval;
  for (;;) {
    await sleep(seconds * 1000);
    try {
      return tokenAnswer(await http.call({ method: 'POST', path: '/v1/token', key, form: { grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: r.name } }));
    } catch (e) {
      if (!(e instanceof ValetkeyError)) throw e;
      if (e.code === 'slow_down') seconds += 5;
      else if (e.code !== 'authorization_pending') throw e;
    }
  }
}

/** What the SDK prints when the caller gave no onUserCode: to stderr, never stdout (which may be a pipe of data). */
export function printUserCode(info: UserCodeInfo): void {
  process.stderr.write(
    `Valetkey: "${info.name}" asks for ${info.scopes.join(' ')}.\n` +
      `Valetkey: approve request ${info.userCode} in the Valetkey app (check the code matches); waiting...\n`,
  );
}
