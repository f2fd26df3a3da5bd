/** Durability: a row whose append resolved survives the process being killed mid-stream. */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, verify } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/core/audit/audit-verifier.js';
import { tempStore, type TempStore } from './audit-test-helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/audit-append-loop.ts', import.meta.url));
const REPO_ROOT = path.resolve(path.dirname(FIXTURE), '../../../..');
const ACKS_BEFORE_KILL = 300;

let store: TempStore;
beforeEach(() => {
  store = tempStore();
});
afterEach(() => {
  store.cleanup();
});

/** Runs the fixture, SIGKILLs it after `acks` acknowledged rows; resolves with every acknowledged seq. */
function appendUntilKilled(file: string, signingKeyDer: Buffer, acks: number): Promise<{ acked: Set<number>; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, file], {
      cwd: REPO_ROOT,
      env: { ...process.env, VK_TEST_SIGNING_KEY: signingKeyDer.toString('base64') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked = new Set<number>();
    let partial = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) acked.add(Number(line));
      if (acked.size >= acks && child.exitCode === null) child.kill('SIGKILL');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (acked.size < acks) reject(new Error(`fixture stopped after ${acked.size} rows: ${stderr}`));
      else resolve({ acked, signal });
    });
  });
}

describe('audit ledger under SIGKILL', () => {
  it('keeps every acknowledged row, and the chain still verifies', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const { acked, signal } = await appendUntilKilled(store.file, der, ACKS_BEFORE_KILL);
    expect(signal).toBe('SIGKILL');

    const db = store.open();
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const result = verifyAuditChain(db, (data, signature, keyId) => keyId === 'crash-key' && verify(null, data, publicKey, signature));
    expect(result).toMatchObject({ ok: true });
    expect(result.checkpointsChecked).toBeGreaterThanOrEqual(Math.floor(ACKS_BEFORE_KILL / 25));
    const present = db.prepare('SELECT 1 FROM audit WHERE seq = ?');
    const missing = [...acked].filter((seq) => present.get(seq) === undefined);
    expect(missing).toEqual([]);
    expect(Math.max(...acked)).toBeLessThanOrEqual(result.lastSeq);
  });
});
