/**
 * Sink credentials (HEC token, webhook HMAC key) are stored like secrets: sealed with
 * XChaCha20-Poly1305 under a key derived from the master key (HKDF-SHA256, its own label), bound
 * to the sink's id. So they open only while the engine is unlocked, and a sealed credential
 * copied onto another sink fails to open.
 */
import { hkdfSync } from 'node:crypto';
import { associatedData, open, seal } from '../crypto/aead.js';
import type { MasterKey, Sealed } from '../crypto/types.js';

const INFO = 'valetkey audit sink credential v1';

function credentialKey(master: MasterKey): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', master, new Uint8Array(0), INFO, 32));
}

function ad(sinkId: string): Uint8Array {
  return associatedData('audit-sink-credential', sinkId);
}

export function sealSinkCredential(master: MasterKey, sinkId: string, credential: string): Sealed {
  const key = credentialKey(master);
  const plain = new TextEncoder().encode(credential);
  try {
    return seal(key, plain, ad(sinkId));
  } finally {
    key.fill(0);
    plain.fill(0);
  }
}

/** The credential's bytes; the caller wipes them when the sink stops. integrity_error if tampered. */
export function openSinkCredential(master: MasterKey, sinkId: string, sealed: Uint8Array): Uint8Array {
  const key = credentialKey(master);
  try {
    return open(key, sealed, ad(sinkId));
  } finally {
    key.fill(0);
  }
}
