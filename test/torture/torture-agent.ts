/**
 * An enrolled agent as the torture tests drive it: its own Ed25519 DPoP key (node:crypto, so a
 * proof costs microseconds and load is not bounded by the client), its access token, and the
 * requests it sends. Each call makes a fresh proof for the listener it goes to.
 */
import { proof, type DpopKey } from '../../bench/lib/dpop.js';
import type { Outgoing, Target } from './keep-alive-client.js';

export class TortureAgent {
  constructor(
    readonly name: string,
    /** The token's id (jti): what the admin API revokes and the audit log names. */
    readonly tokenId: string,
    readonly key: DpopKey,
    readonly token: string,
  ) {}

  /** A fresh proof for `method path` on `target`, bound to this agent's token. */
  proof(target: Target, method: string, path: string, nonce?: string): string {
    return proof(this.key, method, `${target.base}${path}`, { accessToken: this.token, ...(nonce === undefined ? {} : { nonce }) });
  }

  /** The request an SDK sends for `refs` with `reason`. */
  resolve(target: Target, refs: readonly string[], reason: string): Outgoing {
    return {
      method: 'POST',
      path: '/v1/resolve',
      headers: ['Authorization', `DPoP ${this.token}`, 'DPoP', this.proof(target, 'POST', '/v1/resolve'), 'Content-Type', 'application/json'],
      body: JSON.stringify({ refs, reason }),
    };
  }
}
