/**
 * Before the CLI sends the admin passphrase, it makes the server behind `admin.json`'s socket
 * prove it is this data directory's engine: a fresh challenge, signed by the engine's key with
 * the socket it answers on, checked against the public key the engine keeps in the OS keychain
 * (keys/engine-identity.ts). No item in the keychain (keys in the passphrase key file, or no
 * keychain reachable from this shell) means there is nothing to check against: README, "Threat
 * model, briefly", says what that leaves open.
 */
import { randomBytes } from 'node:crypto';
import { VkError } from '../shared/errors.js';
import type { AdminApi } from '../shared/admin-api.js';
import { readEngineIdentity, verifyEngineProof } from '../core/keys/engine-identity.js';

export async function verifyEngine(dataDir: string, socketPath: string, api: Pick<AdminApi, 'proveEngine'>): Promise<void> {
  let publicX: string | undefined;
  try {
    publicX = await readEngineIdentity(dataDir);
  } catch {
    return;
  }
  if (publicX === undefined) return;
  const challenge = randomBytes(32).toString('base64url');
  const proof = await api.proveEngine({ challenge }).catch(() => undefined);
  if (proof === undefined || proof.adminSocket !== socketPath || !verifyEngineProof(publicX, challenge, socketPath, proof.signature)) {
    throw new VkError('engine_unverified');
  }
}
