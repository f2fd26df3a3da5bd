/**
 * session-bind@openssh.com verification: host keys made by the real ssh-keygen (Ed25519, ECDSA
 * P-256/384/521, RSA), signatures over a session id made as an SSH server makes them (signSsh,
 * whose output ssh-keygen -Y accepts, see ssh-key.test.ts), and what must not verify.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSessionBind, signsForSession, userauthUser, verifySessionBind, verifySshSignature } from '../../../src/core/ssh/session-bind.js';
import { parseSshPrivateKey, signSsh } from '../../../src/core/ssh/ssh-key.js';
import { SshReader, sshString } from '../../../src/core/ssh/ssh-wire.js';

const dir = mkdtempSync(join(tmpdir(), 'vk-bind-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hostKey(name: string, args: readonly string[]) {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-C', name, '-f', file, ...args]);
  return parseSshPrivateKey(readFileSync(file, 'utf8'));
}

const KEYS = [
  ['Ed25519', ['-t', 'ed25519'], 0],
  ['ECDSA P-256', ['-t', 'ecdsa', '-b', '256', '-m', 'PEM'], 0],
  ['ECDSA P-384', ['-t', 'ecdsa', '-b', '384', '-m', 'PEM'], 0],
  ['ECDSA P-521', ['-t', 'ecdsa', '-b', '521', '-m', 'PEM'], 0],
  ['RSA (rsa-sha2-256)', ['-t', 'rsa', '-b', '2048', '-m', 'PEM'], 2],
  ['RSA (rsa-sha2-512)', ['-t', 'rsa', '-b', '2048', '-m', 'PEM'], 4],
] as const;

describe('session-bind verification', () => {
  for (const [name, args, flags] of KEYS) {
    it(`verifies a ${name} host key's signature over the session id, and nothing else`, () => {
      const key = hostKey(name.replace(/\W+/g, '-'), args);
      const sessionId = randomBytes(32);
      const signature = signSsh(key, sessionId, flags);
      expect(verifySessionBind({ hostKey: key.blob, sessionId, signature })).toBe(true);
      expect(verifySessionBind({ hostKey: key.blob, sessionId: randomBytes(32), signature })).toBe(false);
      const other = hostKey(`${name.replace(/\W+/g, '-')}-other`, args);
      expect(verifySessionBind({ hostKey: other.blob, sessionId, signature })).toBe(false);
    });
  }

  it('refuses RSA with SHA-1 (ssh-rsa), a mismatched algorithm name and garbage', () => {
    const rsa = hostKey('rsa-sha1', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']);
    const sessionId = randomBytes(32);
    const sha256 = new SshReader(signSsh(rsa, sessionId, 2));
    sha256.text();
    const asSha1 = Buffer.concat([sshString('ssh-rsa'), sshString(sha256.string())]);
    expect(verifySshSignature(rsa.blob, asSha1, sessionId)).toBe(false);
    const ed = hostKey('ed-mismatch', ['-t', 'ed25519']);
    const edSig = new SshReader(signSsh(ed, sessionId, 0));
    edSig.text();
    expect(verifySessionBind({ hostKey: ed.blob, sessionId, signature: Buffer.concat([sshString('ssh-ed448'), sshString(edSig.string())]) })).toBe(false);
    expect(verifySessionBind({ hostKey: randomBytes(40), sessionId, signature: randomBytes(70) })).toBe(false);
  });

  it('reads the extension body (with the forwarding flag) and refuses an empty or oversized session id', () => {
    const key = hostKey('ed-read', ['-t', 'ed25519']);
    const sessionId = randomBytes(32);
    const body = (sid: Buffer, fwd: number) => Buffer.concat([sshString(key.blob), sshString(sid), sshString(signSsh(key, sid, 0)), Buffer.from([fwd])]);
    const bind = readSessionBind(new SshReader(body(sessionId, 1)));
    expect(bind.forwarding).toBe(true);
    expect(bind.sessionId.equals(sessionId)).toBe(true);
    expect(readSessionBind(new SshReader(body(sessionId, 0))).forwarding).toBe(false);
    expect(() => readSessionBind(new SshReader(body(Buffer.alloc(0), 0)))).toThrow();
    expect(() => readSessionBind(new SshReader(body(randomBytes(200), 0)))).toThrow();
  });

  it('matches a user-auth request to its session and reads its user name', () => {
    const sessionId = randomBytes(32);
    const request = Buffer.concat([sshString(sessionId), Buffer.from([50]), sshString('deploy'), sshString('ssh-connection'), sshString('publickey')]);
    expect(signsForSession(request, sessionId)).toBe(true);
    expect(signsForSession(request, randomBytes(32))).toBe(false);
    expect(userauthUser(request)).toBe('deploy');
    expect(userauthUser(Buffer.from('SSHSIG other data'))).toBeUndefined();
    expect(userauthUser(Buffer.concat([sshString(sessionId), Buffer.from([50]), sshString('a\nb')]))).toBeUndefined();
  });
});
