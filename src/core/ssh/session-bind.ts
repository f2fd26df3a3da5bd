/**
 * `session-bind@openssh.com` (OpenSSH PROTOCOL.agent §1): the SSH client tells the agent which
 * server it is talking to, proven by the server's own key-exchange signature over the session id.
 * Verified here for every host key type OpenSSH uses (Ed25519, ECDSA P-256/384/521, RSA with
 * SHA-2); the agent process checks it to answer the client, and the engine checks it again before
 * it writes the destination into an audit row, since the agent process is the agent's to alter.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { SshFormatError, SshReader, sshString } from './ssh-wire.js';

export interface SessionBind {
  /** The server's host key blob. */
  readonly hostKey: Buffer;
  /** The exchange hash of the connection's first key exchange (RFC 4253 §7.2). */
  readonly sessionId: Buffer;
  /** The host key's signature over the session id, as sent in the key exchange. */
  readonly signature: Buffer;
  /** The bind is for a forwarded agent (a later hop), not for authenticating this client. */
  readonly forwarding: boolean;
}

/** OpenSSH's own limits: a session id is a hash (at most 64 bytes); at most 16 binds per connection. */
export const MAX_SESSION_ID = 128;
export const MAX_BINDS = 16;

/** The extension's body, after its name. */
export function readSessionBind(r: SshReader): SessionBind {
  const hostKey = r.string();
  const sessionId = r.string();
  const signature = r.string();
  const forwarding = r.byte() !== 0;
  if (sessionId.length === 0 || sessionId.length > MAX_SESSION_ID) throw new SshFormatError();
  return { hostKey, sessionId, signature, forwarding };
}

/** True only when the host key's signature over the session id verifies. */
export function verifySessionBind(bind: Pick<SessionBind, 'hostKey' | 'sessionId' | 'signature'>): boolean {
  try {
    return verifySshSignature(bind.hostKey, bind.signature, bind.sessionId);
  } catch {
    return false;
  }
}

/** A public-key user-auth request (RFC 4252 §7) starts with the session id as an SSH string. */
export function signsForSession(data: Buffer, sessionId: Buffer): boolean {
  const prefix = sshString(sessionId);
  return data.length >= prefix.length && data.subarray(0, prefix.length).equals(prefix);
}

/** The user name of a public-key user-auth request (RFC 4252 §7), or undefined for any other data. */
export function userauthUser(data: Buffer): string | undefined {
  try {
    const r = new SshReader(data);
    r.string();
    if (r.byte() !== 50) return undefined; // SSH_MSG_USERAUTH_REQUEST
    const user = r.text();
    return /^[\x21-\x7e]{1,64}$/.test(user) ? user : undefined;
  } catch {
    return undefined;
  }
}

const CURVE_HASH: Readonly<Record<string, { readonly crv: string; readonly hash: string; readonly size: number }>> = {
  nistp256: { crv: 'P-256', hash: 'sha256', size: 32 },
  nistp384: { crv: 'P-384', hash: 'sha384', size: 48 },
  nistp521: { crv: 'P-521', hash: 'sha512', size: 66 },
};
const RSA_HASH: Readonly<Record<string, string>> = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' };

/** Verifies an SSH signature blob (RFC 4253 §6.6, RFC 8332, RFC 5656 §3.1.2) made by `keyBlob` over `data`. */
export function verifySshSignature(keyBlob: Buffer, signatureBlob: Buffer, data: Buffer): boolean {
  const key = new SshReader(keyBlob);
  const type = key.text();
  const sig = new SshReader(signatureBlob);
  const algorithm = sig.text();
  const bytes = sig.string();
  if (type === 'ssh-ed25519') {
    if (algorithm !== type) return false;
    return verify(null, data, okp(key.string()), bytes);
  }
  if (type === 'ssh-rsa') {
    const hash = RSA_HASH[algorithm]; // ssh-rsa (SHA-1) is not accepted
    if (hash === undefined) return false;
    const e = unsigned(key.string());
    return verify(hash, data, createPublicKey({ key: { kty: 'RSA', e, n: unsigned(key.string()) }, format: 'jwk' }), bytes);
  }
  const curve = CURVE_HASH[type.replace(/^ecdsa-sha2-/, '')];
  if (curve === undefined || algorithm !== type || key.text() !== type.replace(/^ecdsa-sha2-/, '')) return false;
  const point = key.string();
  if (point[0] !== 4 || point.length !== 1 + 2 * curve.size) throw new SshFormatError();
  const publicKey = createPublicKey({ key: { kty: 'EC', crv: curve.crv, x: b64(point.subarray(1, 1 + curve.size)), y: b64(point.subarray(1 + curve.size)) }, format: 'jwk' });
  const rs = new SshReader(bytes);
  const raw = Buffer.concat([fixed(rs.string(), curve.size), fixed(rs.string(), curve.size)]);
  return verify(curve.hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw);
}

function okp(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new SshFormatError();
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64(raw) }, format: 'jwk' });
}

const b64 = (b: Buffer): string => b.toString('base64url');

/** An mpint's magnitude, base64url, without the sign byte. */
function unsigned(mpint: Buffer): string {
  let start = 0;
  while (start < mpint.length - 1 && mpint[start] === 0) start += 1;
  return b64(mpint.subarray(start));
}

/** An mpint left-padded (or stripped of its sign byte) to the curve's size. */
function fixed(mpint: Buffer, size: number): Buffer {
  let start = 0;
  while (mpint.length - start > size && mpint[start] === 0) start += 1;
  const v = mpint.subarray(start);
  if (v.length > size) throw new SshFormatError();
  return Buffer.concat([Buffer.alloc(size - v.length), v]);
}
