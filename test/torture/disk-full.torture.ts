/**
 * Disk full: the data directory is a small tmpfs (8 MiB). With the write-ahead log checkpointed
 * away and the rest of the disk filled, an agent's read cannot commit its audit row: the answer
 * must be 503 audit_unavailable with no secret in it, and nothing may be logged as released. Once
 * space returns, the same agents are served again, their reads are audited, the chain verifies and
 * the database passes integrity_check. Needs root for `mount`; without it the test is skipped and
 * says why.
 */
import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { json, send, type Target } from './keep-alive-client.js';
import { allAuditRows, copyTemplate, enrollAgent, seedSecrets, startEngine, type RunningEngine, type Secrets } from './torture-engine.js';
import type { TortureAgent } from './torture-agent.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'vk-full-'));
const mounted = tryMount(mountPoint);
if (!mounted.ok) rmdirSync(mountPoint);

function tryMount(dir: string): { ok: boolean; reason: string } {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
    return { ok: true, reason: '' };
  } catch (e) {
    const stderr = String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim();
    return { ok: false, reason: `(skipped: cannot mount a tmpfs here — ${stderr || 'mount failed'}; run as root)` };
  }
}

describe.skipIf(!mounted.ok)(`disk full ${mounted.reason}`, () => {
  let engine: RunningEngine | undefined;
  afterAll(async () => {
    await engine?.daemon.stop('SIGKILL');
    execFileSync('umount', ['-l', mountPoint]);
    rmdirSync(mountPoint);
  });

  it('audit_unavailable and no secret while the disk is full; normal service once space returns', async () => {
    copyTemplate(mountPoint);
    engine = await startEngine(mountPoint);
    const secrets = await seedSecrets(engine, 'full-vault', 2, 'full');
    const agent = await enrollAgent(engine, 'full-agent', ['full-vault']);
    expect((await read(engine.tcp, agent, secrets, 'disk full: before')).status).toBe(200);

    checkpointWal(join(mountPoint, 'valetkey.db'));
    const filler = join(mountPoint, 'filler');
    const filled = fillDisk(filler);
    const refused: string[] = [];
    for (let batch = 0; batch < 2; batch++) {
      // Twenty at once: their rows share one failing group commit.
      const e = engine;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => {
          const reason = `disk full: while full ${batch}/${i}`;
          refused.push(reason);
          return read(i % 2 === 0 ? e.tcp : e.socket, agent, secrets, reason);
        }),
      );
      for (const answer of answers) {
        expect(answer.status, answer.text).toBe(503);
        expect(json(answer)?.error).toBe('audit_unavailable');
        for (const value of secrets.everything) expect(answer.text).not.toContain(value);
      }
    }
    expect(engine.alive()).toBe(true);
    expect((await engine.admin.status({})).locked).toBe(false);
    expect(engine.daemon.output()).not.toContain('internal error');

    rmSync(filler);
    const after: string[] = [];
    for (let i = 0; i < 20; i++) {
      const target = i % 2 === 0 ? engine.tcp : engine.socket;
      const reason = `disk full: space is back #${i}`;
      const answer = await read(target, agent, secrets, reason);
      expect(answer.status, answer.text).toBe(200);
      after.push(reason);
    }
    const released = await allAuditRows(engine, { action: 'secret.read', outcome: 'allowed', reasonContains: 'disk full:' });
    const reasons = new Set(released.map((r) => r.reason));
    expect(refused.filter((r) => reasons.has(r)), 'a refused read logged as released').toEqual([]);
    expect(after.filter((r) => !reasons.has(r)), 'a served read without its row').toEqual([]);
    const verification = await engine.admin.verifyAudit({});
    expect(verification.ok, verification.problem).toBe(true);
    expect(await engine.daemon.stop()).toBe(0);
    engine = undefined;
    const db = new BetterSqlite3(join(mountPoint, 'valetkey.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    console.log(`disk full: filled ${(filled / 1024).toFixed(0)} KiB of the 8 MiB tmpfs; 40 reads refused 503 audit_unavailable, none released; after freeing it 20 reads served and audited; chain verified (${verification.rowsChecked} rows); integrity_check ok`);
  });
});

/** One resolve of the first ref; the answer, with the secret checked when it is a 200. */
async function read(target: Target, agent: TortureAgent, secrets: Secrets, reason: string): ReturnType<typeof send> {
  const ref = secrets.refs[0] ?? '';
  const answer = await send(false, target, agent.resolve(target, [ref], reason));
  if (answer.status === 200) expect((json(answer)?.values as Record<string, unknown>)[ref]).toBe(secrets.values.get(ref));
  return answer;
}

/**
 * Moves the write-ahead log into the database and truncates it, so the engine's next commit must
 * grow the log (on a full disk: SQLITE_FULL) instead of reusing space the log already holds.
 */
function checkpointWal(file: string): void {
  const db = new BetterSqlite3(file);
  try {
    const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (result?.busy !== 0) throw new Error('the engine was busy; the log could not be checkpointed');
  } finally {
    db.close();
  }
}

/** Writes until the file system says ENOSPC even for one byte; returns the bytes written. */
function fillDisk(file: string): number {
  const fd = openSync(file, 'w');
  let total = 0;
  try {
    for (const size of [1 << 20, 1 << 16, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          total += writeSync(fd, chunk);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
          break;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return total;
}
