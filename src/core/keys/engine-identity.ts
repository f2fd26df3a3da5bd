/**
 * The engine's identity, for the CLI to check before it sends the admin passphrase anywhere.
 * `admin.json` (which names the admin socket) is a file an agent can rewrite, to its own socket.
 * So the engine keeps its public key in the OS keychain under an item named after the data
 * directory, and proves itself by signing the CLI's challenge together with the socket it
 * listens on (so a server that relays the challenge to the real engine gets a proof naming
 * another socket). An agent that cannot read the keychain can neither forge nor remove the item.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { resolve } from 'node:path';
import { keychainCall } from './keychain-key-store.js';

const SERVICE = 'valetkey';
const TIMEOUT_MS = 10_000;
const PREFIX = 'vkpub1:';
const PROOF_CONTEXT = 'valetkey-engine-proof-v1';

function account(dataDir: string): string {
  return `engine:${createHash('sha256').update(resolve(dataDir), 'utf8').digest('hex').slice(0, 32)}`;
}

/** The bytes the engine signs: a fixed context, the caller's challenge, the socket it answers on. */
export function engineProofMessage(challenge: string, adminSocket: string): Uint8Array {
  return new Uint8Array(Buffer.from(`${PROOF_CONTEXT}\n${challenge}\n${adminSocket}`, 'utf8'));
}

/** Writes (or corrects) the item; the engine calls this when it starts with keys in the keychain. */
export async function publishEngineIdentity(dataDir: string, publicX: string): Promise<void> {
  const value = PREFIX + publicX;
  const current = await keychainCall(SERVICE, account(dataDir), TIMEOUT_MS, (entry, signal) => entry.getPassword(signal));
  if (current !== value) await keychainCall(SERVICE, account(dataDir), TIMEOUT_MS, (entry, signal) => entry.setPassword(value, signal));
}

/** The engine's public key (JWK `x`) for this data directory; undefined when there is none (a key-file engine). */
export async function readEngineIdentity(dataDir: string): Promise<string | undefined> {
  const item = await keychainCall(SERVICE, account(dataDir), TIMEOUT_MS, (entry, signal) => entry.getPassword(signal));
  return item?.startsWith(PREFIX) === true ? item.slice(PREFIX.length) : undefined;
}

/** Whether `signature` (base64url) over the proof message verifies under the Ed25519 key `publicX`. */
export function verifyEngineProof(publicX: string, challenge: string, adminSocket: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicX }, format: 'jwk' });
    const sig = Buffer.from(signature, 'base64url');
    return sig.length === 64 && verify(null, engineProofMessage(challenge, adminSocket), key, sig);
  } catch {
    return false;
  }
}

/** Names the engine-identity item for `destroy`-style clean-ups and tests. */
export const engineIdentityItem = (dataDir: string): { readonly service: string; readonly account: string } => ({ service: SERVICE, account: account(dataDir) });
