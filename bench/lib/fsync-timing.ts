/**
 * How long one durable write takes on the bench's disk: 4 KiB written in place in a 64 KiB file
 * and fdatasync'd, median of 50: what SQLite does to its WAL on Linux at each commit. One
 * agent's request waits for its audit row's commit, so this is the floor under its latency.
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from './load.js';

export function fsyncMedianMs(dir: string): number {
  const file = join(dir, 'fsync-probe');
  writeFileSync(file, Buffer.alloc(16 * 4096));
  const fd = openSync(file, 'r+');
  const page = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint();
      writeSync(fd, page, 0, page.length, (i % 16) * 4096);
      fdatasyncSync(fd);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return percentile(times.sort((a, b) => a - b), 0.5);
}
