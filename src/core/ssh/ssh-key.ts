/**
 * SSH private keys as Valetkey stores them (the `ssh_key` entry kind): OpenSSH's own format
 * (openssh-key-v1, unencrypted) for Ed25519, or PEM (PKCS#8, or PKCS#1 RSA) for Ed25519, RSA and
 * ECDSA P-256/384/521, read with node:crypto. The public key blob and the `ssh-… AAAA…` line
 * come from the private key; signatures are made here, in the engine, and nowhere else.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { VkError } from '../../shared/errors.js';
import { SshFormatError, SshReader, sshMpint, sshString, sshUint32 } from './ssh-wire.js';

export interface SshKey {
  /** `ssh-ed25519`, `ssh-rsa`, `ecdsa-sha2-nistp256`, … */
  readonly type: string;
  /** The public key blob, as the agent protocol and authorized_keys carry it. */
  readonly blob: Buffer;
  readonly privateKey: KeyObject;
  readonly comment: string;
}

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');
const OPENSSH_PEM = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/;
const CURVES: Readonly<Record<string, string>> = { 'P-256': 'nistp256', 'P-384': 'nistp384', 'P-521': 'nistp521' };

function unsupported(): VkError {
  return new VkError('invalid_request', 'the SSH key must be an unencrypted OpenSSH Ed25519 key, or a PEM Ed25519, RSA or ECDSA key (remove a passphrase with ssh-keygen -p first)');
}

export function parseSshPrivateKey(text: string): SshKey {
  try {
    const openssh = OPENSSH_PEM.exec(text);
    return openssh === null ? fromPem(text) : fromOpenSsh(Buffer.from((openssh[1] ?? '').replace(/\s+/g, ''), 'base64'));
  } catch (e) {
    if (e instanceof VkError) throw e;
    throw unsupported();
  }
}

function fromOpenSsh(raw: Buffer): SshKey {
  if (!raw.subarray(0, MAGIC.length).equals(MAGIC)) throw unsupported();
  const r = new SshReader(raw.subarray(MAGIC.length));
  const cipher = r.text();
  const kdf = r.text();
  r.string();
  if (cipher !== 'none' || kdf !== 'none' || r.uint32() !== 1) throw unsupported();
  r.string(); // the public key, repeated inside the private section
  const p = new SshReader(r.string());
  if (p.uint32() !== p.uint32()) throw unsupported(); // check ints differ: a wrong passphrase, or damage
  if (p.text() !== 'ssh-ed25519') throw unsupported();
  const pub = p.string();
  const secret = p.string();
  const comment = p.text();
  if (pub.length !== 32 || secret.length !== 64) throw new SshFormatError();
  const privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: secret.subarray(0, 32).toString('base64url'), x: pub.toString('base64url') }, format: 'jwk' });
  return { type: 'ssh-ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]), privateKey, comment };
}

function fromPem(text: string): SshKey {
  const privateKey = createPrivateKey({ key: text, format: 'pem' });
  const { type, blob } = publicBlob(privateKey);
  return { type, blob, privateKey, comment: '' };
}

function publicBlob(privateKey: KeyObject): { type: string; blob: Buffer } {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const b = (v: string | undefined): Buffer => Buffer.from(v ?? '', 'base64url');
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return { type: 'ssh-ed25519', blob: Buffer.concat([sshString('ssh-ed25519'), sshString(b(jwk.x))]) };
  if (jwk.kty === 'RSA') return { type: 'ssh-rsa', blob: Buffer.concat([sshString('ssh-rsa'), sshMpint(b(jwk.e)), sshMpint(b(jwk.n))]) };
  const curve = jwk.kty === 'EC' ? CURVES[jwk.crv ?? ''] : undefined;
  if (curve === undefined) throw unsupported();
  const point = Buffer.concat([Buffer.from([4]), b(jwk.x), b(jwk.y)]);
  const type = `ecdsa-sha2-${curve}`;
  return { type, blob: Buffer.concat([sshString(type), sshString(curve), sshString(point)]) };
}

/** `ssh-ed25519 AAAA… comment`, the line for authorized_keys. */
export function publicKeyLine(key: SshKey, comment = key.comment): string {
  return `${key.type} ${key.blob.toString('base64')}${comment === '' ? '' : ` ${comment}`}`;
}

/** A new Ed25519 key in OpenSSH's format, so the person can also use it outside Valetkey if they choose. */
export function generateEd25519(comment: string): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = Buffer.from(jwk.d ?? '', 'base64url');
  const pub = Buffer.from(jwk.x ?? '', 'base64url');
  const blob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, blob, sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const padding = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1));
  section = Buffer.concat([section, padding]);
  const raw = Buffer.concat([MAGIC, sshString('none'), sshString('none'), sshString(''), sshUint32(1), sshString(blob), sshString(section)]);
  const lines = raw.toString('base64').match(/.{1,70}/g) ?? [];
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

/** An SSH signature blob (RFC 4253 §6.6, RFC 8332, RFC 5656) over `data`; `flags` picks RSA's hash. */
export function signSsh(key: SshKey, data: Buffer, flags: number): Buffer {
  if (key.type === 'ssh-ed25519') return Buffer.concat([sshString('ssh-ed25519'), sshString(sign(null, data, key.privateKey))]);
  if (key.type === 'ssh-rsa') {
    // SSH_AGENT_RSA_SHA2_512 = 4, SSH_AGENT_RSA_SHA2_256 = 2; plain ssh-rsa (SHA-1) is not offered.
    const [algorithm, hash] = flags & 4 ? ['rsa-sha2-512', 'sha512'] : ['rsa-sha2-256', 'sha256'];
    return Buffer.concat([sshString(algorithm), sshString(sign(hash, data, key.privateKey))]);
  }
  const bits = key.type.endsWith('256') ? 'sha256' : key.type.endsWith('384') ? 'sha384' : 'sha512';
  const der = sign(bits, data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  const half = der.length / 2;
  const inner = Buffer.concat([sshMpint(der.subarray(0, half)), sshMpint(der.subarray(half))]);
  return Buffer.concat([sshString(key.type), sshString(inner)]);
}
