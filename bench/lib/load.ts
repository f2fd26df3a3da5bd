/**
 * A small closed-loop load generator: `concurrency` workers, each sending its next request as soon
 * as the previous answered, over keep-alive connections (TCP or a Unix socket). Latency is
 * measured per request with hrtime; request bodies and headers (DPoP proofs included) are made
 * BEFORE the timed window, so proof signing is never counted against the server.
 */
import { Agent, request, type OutgoingHttpHeaders } from 'node:http';

export interface Target {
  readonly port?: number;
  readonly socketPath?: string;
  /** Host header to send (the engine checks it). */
  readonly host: string;
}

export interface PreparedRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: OutgoingHttpHeaders;
  readonly body?: string;
}

export interface LoadResult {
  readonly requests: number;
  readonly errors: number;
  /** How many answers had each unexpected status (0: no answer), so an error count can be explained. */
  readonly errorStatuses: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly throughput: number;
  readonly p50ms: number;
  readonly p99ms: number;
}

export async function runLoad(target: Target, requests: readonly PreparedRequest[], concurrency: number, okStatus = 200): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(requests.length);
  let next = 0;
  let errors = 0;
  const errorStatuses: Record<string, number> = {};
  const started = process.hrtime.bigint();
  const worker = async () => {
    for (;;) {
      const i = next++;
      const r = requests[i];
      if (!r) return;
      const t0 = process.hrtime.bigint();
      const status = await send(agent, target, r);
      latencies[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      if (status !== okStatus) {
        errors++;
        errorStatuses[status] = (errorStatuses[status] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return {
    requests: requests.length,
    errors,
    errorStatuses,
    seconds,
    throughput: requests.length / seconds,
    p50ms: percentile(sorted, 0.5),
    p99ms: percentile(sorted, 0.99),
  };
}

export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

function send(agent: Agent, target: Target, r: PreparedRequest): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      {
        agent,
        method: r.method,
        path: r.path,
        ...(target.socketPath ? { socketPath: target.socketPath } : { host: '127.0.0.1', port: target.port }),
        headers: { host: target.host, ...r.headers, ...(r.body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(r.body) } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(r.body);
  });
}
