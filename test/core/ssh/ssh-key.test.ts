/**
 * SSH keys as the engine reads them: keys made by the real ssh-keygen (OpenSSH Ed25519, PEM RSA
 * and ECDSA) and by Valetkey itself give the public line ssh-keygen derives, and signatures that
 * ssh-keygen -Y verify accepts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateEd25519, parseSshPrivateKey, publicKeyLine, signSsh } from '../../../src/core/ssh/ssh-key.js';
import { sshString, sshUint32 } from '../../../src/core/ssh/ssh-wire.js';
import { createHash } from 'node:crypto';

const dir = mkdtempSync(join(tmpdir(), 'vk-sshkey-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function keygen(name: string, args: readonly string[]): { privateText: string; publicLine: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-N', '', '-C', name, '-f', file, ...args]);
  return { privateText: readFileSync(file, 'utf8'), publicLine: readFileSync(`${file}.pub`, 'utf8').trim() };
}

/** An SSHSIG (PROTOCOL.sshsig) over `message`, signed through signSsh, checked by ssh-keygen -Y check-novalidate. */
function sshsigVerifies(privateText: string, publicLine: string, flags: number): boolean {
  const key = parseSshPrivateKey(privateText);
  const message = Buffer.from('valetkey signs this\n');
  const hash = createHash('sha512').update(message).digest();
  const toSign = Buffer.concat([Buffer.from('SSHSIG'), sshString('file'), sshString(''), sshString('sha512'), sshString(hash)]);
  const blob = Buffer.concat([Buffer.from('SSHSIG'), sshUint32(1), sshString(key.blob), sshString('file'), sshString(''), sshString('sha512'), sshString(signSsh(key, toSign, flags))]);
  const b64 = blob.toString('base64').match(/.{1,70}/g) ?? [];
  const sigFile = join(dir, `sig-${key.type}-${flags}`);
  writeFileSync(sigFile, ['-----BEGIN SSH SIGNATURE-----', ...b64, '-----END SSH SIGNATURE-----', ''].join('\n'));
  const pubFile = `${sigFile}.pub`;
  writeFileSync(pubFile, `${publicLine}\n`);
  try {
    execFileSync('ssh-keygen', ['-Y', 'check-novalidate', '-n', 'file', '-f', pubFile, '-s', sigFile], { input: message, stdio: ['pipe', 'pipe', 'pipe'] });
    return true;
  } catch {
    return false;
  }
}

describe('SSH keys', () => {
  it('reads an OpenSSH Ed25519 key from ssh-keygen: same public line, verifiable signatures', () => {
    const { privateText, publicLine } = keygen('ed', ['-t', 'ed25519']);
    expect(publicKeyLine(parseSshPrivateKey(privateText))).toBe(publicLine);
    expect(sshsigVerifies(privateText, publicLine, 0)).toBe(true);
  });

  it('reads PEM RSA (SHA-256 and SHA-512 signatures) and ECDSA P-256 keys', () => {
    const rsa = keygen('rsa', ['-t', 'rsa', '-b', '2048', '-m', 'PEM']);
    expect(publicKeyLine(parseSshPrivateKey(rsa.privateText), 'rsa')).toBe(rsa.publicLine);
    expect(sshsigVerifies(rsa.privateText, rsa.publicLine, 2)).toBe(true);
    expect(sshsigVerifies(rsa.privateText, rsa.publicLine, 4)).toBe(true);
    const ec = keygen('ec', ['-t', 'ecdsa', '-b', '256', '-m', 'PEM']);
    expect(publicKeyLine(parseSshPrivateKey(ec.privateText), 'ec')).toBe(ec.publicLine);
    expect(sshsigVerifies(ec.privateText, ec.publicLine, 0)).toBe(true);
  });

  it('a generated key is a valid OpenSSH key: ssh-keygen derives the same public line from it', () => {
    const text = generateEd25519('made@valetkey');
    const file = join(dir, 'generated');
    writeFileSync(file, text, { mode: 0o600 });
    const derived = execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim();
    const line = publicKeyLine(parseSshPrivateKey(text));
    expect(line.endsWith(' made@valetkey')).toBe(true);
    expect(line.split(' ').slice(0, 2)).toEqual(derived.split(' ').slice(0, 2));
  });

  it('refuses an encrypted key and garbage with a message that says what to do, never the key', () => {
    const file = join(dir, 'locked');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'a passphrase', '-f', file]);
    const locked = readFileSync(file, 'utf8');
    expect(() => parseSshPrivateKey(locked)).toThrow(/ssh-keygen -p/);
    try {
      parseSshPrivateKey(locked);
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(locked.split('\n')[1] ?? 'x');
    }
    expect(() => parseSshPrivateKey('not a key')).toThrow(/OpenSSH Ed25519/);
  });
});
