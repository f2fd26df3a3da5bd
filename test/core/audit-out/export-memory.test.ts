/**
 * Exporting 1,000,000 rows keeps memory bounded: the export streams (iterator in, backpressure
 * out). Each phase runs in its own process, which reports its peak RSS; the figures are printed.
 * The bound is generous (the point is "flat", not a number): far below the export's own size.
 * CSV, CEF and OCSF go through the same streaming code; JSON Lines stands for them here.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, type TempDir } from './audit-out-fixture.js';

const ROWS = 1_000_000;
const MAX_RSS_MB = 300;
const SCRIPT = join(import.meta.dirname, 'fixtures', 'million-rows.ts');

function phase(args: readonly string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>) : reject(new Error(`${args[0]} failed (${code}): ${err}`))));
  });
}

describe('exporting 1,000,000 rows', () => {
  let dir: TempDir;
  let db: string;
  let jwk: string;

  beforeAll(async () => {
    dir = tempDir('vk-million-');
    db = join(dir.dir, 'valetkey.db');
    const filled = await phase(['fill', db, String(ROWS)]);
    expect(filled['lastSeq']).toBe(ROWS);
    jwk = JSON.stringify(filled['jwk']);
    console.log(`fill: ${ROWS} chained rows in ${filled['ms']} ms`);
  }, 300_000);
  afterAll(() => dir.cleanup());

  it('streams JSON Lines with flat memory, and the export verifies against the ledger, also with flat memory', async () => {
    const file = join(dir.dir, 'million.jsonl');
    const exported = await phase(['export', db, file, 'jsonl']);
    const mb = Math.round(Number(exported['bytes']) / 1024 / 1024);
    console.log(`export jsonl: ${exported['rows']} rows, ${mb} MB in ${exported['ms']} ms, peak RSS ${exported['maxRssMb']} MB`);
    expect(exported['rows']).toBe(ROWS);
    expect(Number(exported['maxRssMb'])).toBeLessThan(MAX_RSS_MB);
    expect(Number(exported['maxRssMb'])).toBeLessThan(mb);

    const checked = await phase(['verify', db, file, jwk]);
    console.log(`verify --export: ${checked['rowsChecked']} rows, ${checked['checkpointsChecked']} checkpoints in ${checked['ms']} ms, peak RSS ${checked['maxRssMb']} MB`);
    expect(checked).toMatchObject({ ok: true, rowsChecked: ROWS, checkpointsChecked: ROWS / 1000, problem: null });
    expect(Number(checked['maxRssMb'])).toBeLessThan(MAX_RSS_MB);
  }, 300_000);
});
