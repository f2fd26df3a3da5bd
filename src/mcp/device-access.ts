/**
 * `request_access` as a resumable device flow (RFC 8628). A tool call may only wait so long (MCP
 * clients time requests out, and the agent should show the user code to the person), so one
 * request stays pending across calls: the first call asks and waits a bounded time; a later call
 * for the same scope resumes waiting on the same code instead of asking again. Only the person,
 * in Valetkey's own prompt, can approve: nothing here answers for them.
 */
import { fromClientError } from '../shared/client-error.js';
import { isVkError, VkError } from '../shared/errors.js';
import type { AgentClient, DeviceStart } from '../../sdk/js/src/agent-client.js';
import type { TokenAnswer } from '../../sdk/js/src/token-answer.js';

export interface AccessRequest {
  readonly clientId: string;
  readonly scope: string;
  readonly reason: string;
  readonly lifespanSeconds: number;
}

export interface PendingInfo {
  readonly userCode: string;
  readonly verificationUri: string;
  readonly expiresAt: string;
}

export type AccessOutcome =
  | { readonly status: 'approved'; readonly token: TokenAnswer; readonly userCode: string }
  | ({ readonly status: 'pending' } & PendingInfo);

export interface WaitOptions {
  readonly waitMs: number;
  readonly signal?: AbortSignal;
  /** Called when the code is known and after every poll, for progress notifications. */
  readonly onProgress?: (p: { readonly elapsedMs: number; readonly userCode: string }) => void;
}

interface Pending {
  readonly request: AccessRequest;
  readonly start: DeviceStart;
  readonly expiresAt: number;
  intervalMs: number;
  nextPollAt: number;
}

const SLOW_DOWN_STEP_MS = 5_000;

export class DeviceAccess {
  private pending: Pending | undefined;

  constructor(private readonly client: () => AgentClient) {}

  async request(req: AccessRequest, options: WaitOptions): Promise<AccessOutcome> {
    const p = await this.pendingFor(req);
    const began = Date.now();
    const until = Math.min(p.expiresAt, began + options.waitMs);
    options.onProgress?.({ elapsedMs: 0, userCode: p.start.userCode });
    while (Date.now() < until && !aborted(options.signal)) {
      await sleep(Math.min(Math.max(0, p.nextPollAt - Date.now()), until - Date.now()), options.signal);
      if (Date.now() < p.nextPollAt || aborted(options.signal)) continue;
      const token = await this.poll(p);
      options.onProgress?.({ elapsedMs: Date.now() - began, userCode: p.start.userCode });
      if (token !== undefined) return { status: 'approved', token, userCode: p.start.userCode };
    }
    return { status: 'pending', ...describe(p) };
  }

  /** The same agent and scope resumes the request already shown to the person; anything else asks anew. */
  private async pendingFor(req: AccessRequest): Promise<Pending> {
    const p = this.pending;
    if (p !== undefined && p.expiresAt > Date.now() && sameRequest(p.request, req)) return p;
    const start = await this.client().startDevice(req);
    const intervalMs = Math.max(1, start.interval) * 1000;
    const now = Date.now();
    this.pending = { request: req, start, expiresAt: now + start.expiresIn * 1000, intervalMs, nextPollAt: now + intervalMs };
    return this.pending;
  }

  /** One poll: a token, undefined while the person has not answered, or the refusal thrown. */
  private async poll(p: Pending): Promise<TokenAnswer | undefined> {
    try {
      const token = await this.client().pollDevice(p.start.deviceCode, p.request.clientId);
      this.pending = undefined;
      return token;
    } catch (thrown) {
      const e = fromClientError(thrown);
      if (isVkError(e) && (e.code === 'authorization_pending' || e.code === 'slow_down')) {
        if (e.code === 'slow_down') p.intervalMs += SLOW_DOWN_STEP_MS;
        p.nextPollAt = Date.now() + p.intervalMs;
        return undefined;
      }
      // Denied, expired, or a code the engine no longer knows: this request is over.
      this.pending = undefined;
      throw isVkError(e) ? e : new VkError('internal_error');
    }
  }
}

function sameRequest(a: AccessRequest, b: AccessRequest): boolean {
  // Not the reason: an agent rewording it must not put a second prompt in front of the person.
  return a.clientId === b.clientId && a.scope === b.scope;
}

function describe(p: Pending): PendingInfo {
  return { userCode: p.start.userCode, verificationUri: p.start.verificationUri, expiresAt: new Date(p.expiresAt).toISOString() };
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
