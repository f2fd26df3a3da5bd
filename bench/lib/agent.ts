/** Just enough of an agent for the bench: enroll with a DPoP key (nonce handshake), then prepared resolve requests. */
import { request } from 'node:http';
import type { DpopKey } from './dpop.js';
import { proof } from './dpop.js';
import type { PreparedRequest, Target } from './load.js';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Record<string, unknown>;
}

export function call(target: Target, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { method, path, ...(target.socketPath ? { socketPath: target.socketPath } : { host: '127.0.0.1', port: target.port }), headers: { host: target.host, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Redeem an enrollment code; returns the access token. */
export async function enroll(target: Target, base: string, key: DpopKey, code: string, clientId: string): Promise<string> {
  const form = new URLSearchParams({ grant_type: 'urn:valetkey:params:oauth:grant-type:enrollment', enrollment_code: code, client_id: clientId }).toString();
  const send = (nonce?: string) =>
    call(target, 'POST', '/v1/token', { 'content-type': 'application/x-www-form-urlencoded', dpop: proof(key, 'POST', `${base}/v1/token`, nonce ? { nonce } : {}) }, form);
  let r = await send();
  if (r.body.error === 'use_dpop_nonce') r = await send(String(r.headers['dpop-nonce']));
  if (r.status !== 200) throw new Error(`enrollment failed: ${JSON.stringify(r.body)}`);
  return String(r.body.access_token);
}

export function resolveRequests(n: number, base: string, key: DpopKey, token: string, ref: string): PreparedRequest[] {
  const body = JSON.stringify({ refs: [ref], reason: 'benchmark: nightly deploy' });
  return Array.from({ length: n }, () => ({
    method: 'POST' as const,
    path: '/v1/resolve',
    headers: { authorization: `DPoP ${token}`, dpop: proof(key, 'POST', `${base}/v1/resolve`, { accessToken: token }) },
    body,
  }));
}
