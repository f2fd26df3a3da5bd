/** Real SQLite files in a temp dir and a real Ed25519 key, shared by the audit tests. */
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Database } from '../../../src/core/store/database.js';
import type { AuditLedger, CheckpointSigner } from '../../../src/core/audit/audit-ledger.js';
import { rowHash, toHex } from '../../../src/core/audit/audit-chain.js';
import type { CheckpointVerifier } from '../../../src/core/audit/audit-verifier.js';
import type { AuditRecord } from '../../../src/shared/model.js';

export interface TempStore {
  readonly dir: string;
  readonly file: string;
  open(): Database;
  cleanup(): void;
}

export function tempStore(): TempStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-audit-'));
  const file = path.join(dir, 'valetkey.db');
  const opened: Database[] = [];
  return {
    dir,
    file,
    open() {
      const db = openDatabase(file);
      opened.push(db);
      return db;
    },
    cleanup() {
      for (const db of opened) if (db.open) db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestKey {
  readonly signer: CheckpointSigner;
  readonly verifier: CheckpointVerifier;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export function ed25519Key(keyId = 'test-key'): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKey,
    privateKey,
    signer: { keyId, sign: (data) => new Uint8Array(sign(null, data, privateKey)) },
    verifier: (data, signature, id) => id === keyId && verify(null, data, publicKey, signature),
  };
}

export function record(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    actor: 'agent',
    agent: 'ci-bot',
    tokenId: 'jti-1',
    keyThumbprint: 'thumb-1',
    action: 'secret.read',
    vaultId: 'vault-1',
    entryId: 'entry-1',
    field: 'password',
    reason: 'deploy the staging server',
    outcome: 'allowed',
    ...overrides,
  };
}

export async function appendN(append: (r: AuditRecord) => Promise<unknown>, n: number, make = (i: number) => record({ reason: `reason ${i}` })): Promise<void> {
  for (let i = 0; i < n; i++) await append(make(i));
}

/** What someone with the database file does after editing a row: recompute every later chain hash. */
export function rehashFrom(db: Database, ledger: AuditLedger, prevSeq: number): void {
  const rows = ledger.query({ limit: 500 }).rows.filter((r) => r.seq > prevSeq).reverse();
  let prev = Buffer.from(ledger.get(prevSeq)?.hash ?? '', 'hex');
  const update = db.prepare('UPDATE audit SET hash = ? WHERE seq = ?');
  for (const { hash: _old, ...row } of rows) {
    const next = rowHash(prev, row);
    update.run(next, row.seq);
    prev = Buffer.from(toHex(next), 'hex');
  }
}
