/**
 * Helpers for the audit-out tests: a real engine (temp dir, SQLite, key-file keys) with agent-like
 * audit rows, and a fast way to put many chained rows straight into a database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src/core/store/database.js';
import { GENESIS_HASH, rowHash, toHex, checkpointMessage } from '../../../src/core/audit/audit-chain.js';
import { canonicalJson } from '../../../src/core/audit/canonical-json.js';
import { auditInsertValues, INSERT_AUDIT_SQL } from '../../../src/core/audit/audit-row-codec.js';
import type { CheckpointSigner } from '../../../src/core/audit/audit-ledger.js';
import type { AuditRecord, AuditRow } from '../../../src/shared/model.js';

export function agentRecord(i: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    actor: 'agent',
    agent: i % 3 === 0 ? 'deploy-bot' : 'ci-bot',
    tokenId: `jti-${i % 5}`,
    keyThumbprint: `thumb-${i % 5}`,
    action: i % 7 === 0 ? 'token.issue' : 'secret.read',
    vaultId: 'vault-a',
    entryId: `entry-${i % 11}`,
    field: 'password',
    reason: `deploy build ${i}`,
    outcome: i % 13 === 0 ? 'refused' : 'allowed',
    ...(i % 13 === 0 ? { errorCode: 'insufficient_scope' } : {}),
    ...(i % 4 === 0 ? { detail: { attempt: i, source: 'unix' } } : {}),
    ...overrides,
  };
}

export interface TempDir {
  readonly dir: string;
  cleanup(): void;
}

export function tempDir(prefix = 'vk-ao-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Appends `count` chained rows straight into the audit table, in batches of 50,000 per
 * transaction, as the ledger would (same hash, same columns), with a signed checkpoint every
 * `every` rows. Used where the ledger's one-commit-per-turn pace would make a test slow.
 */
export function fillLedger(db: Database, count: number, options: { signer: CheckpointSigner; every: number; ts0?: number }): { lastSeq: number; lastHash: string } {
  const last = db.prepare<[], { seq: number; hash: Uint8Array }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
  let seq = last?.seq ?? 0;
  let prev: Uint8Array = last === undefined ? GENESIS_HASH : new Uint8Array(last.hash);
  const insert = db.prepare(INSERT_AUDIT_SQL);
  const checkpoint = db.prepare('INSERT INTO audit_checkpoints (seq, hash, ts, key_id, signature) VALUES (?, ?, ?, ?, ?)');
  const ts0 = options.ts0 ?? Date.UTC(2030, 0, 1);
  const batch = db.transaction((n: number) => {
    for (let i = 0; i < n; i++) {
      seq += 1;
      const r = agentRecord(seq);
      const detail = r.detail ?? null;
      const fields: Omit<AuditRow, 'hash' | 'seq'> = {
        ts: ts0 + seq, actor: r.actor, agent: r.agent ?? null, tokenId: r.tokenId ?? null, keyThumbprint: r.keyThumbprint ?? null,
        action: r.action, vaultId: r.vaultId ?? null, entryId: r.entryId ?? null, field: r.field ?? null, reason: r.reason ?? null,
        outcome: r.outcome, errorCode: r.errorCode ?? null, approvalId: r.approvalId ?? null, detail,
      };
      const hash = rowHash(prev, { seq, ...fields });
      insert.run(...auditInsertValues({ seq, ...fields, hash: toHex(hash) }, detail === null ? null : canonicalJson(detail), hash));
      if (seq % options.every === 0) {
        checkpoint.run(seq, hash, ts0 + seq, options.signer.keyId, options.signer.sign(checkpointMessage(seq, toHex(hash))));
      }
      prev = hash;
    }
  });
  for (let left = count; left > 0; left -= 50_000) batch(Math.min(left, 50_000));
  return { lastSeq: seq, lastHash: toHex(prev) };
}

export function readLines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Waits until `condition` holds (a receiver got its rows), polling; fails after `ms`. */
export async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
