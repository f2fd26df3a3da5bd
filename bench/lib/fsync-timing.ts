/**
 * How long one durable write takes on the bench's disk: 4 KiB appended and fsync'd, median of 50.
 * One agent's request waits for its audit row's commit, so this is the floor under its latency.
 */
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { percentile } from './load.js';

export function fsyncMedianMs(dir: string): number {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'a');
  const page = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < 50; i++) {
      const t0 = process.hrtime.bigint();
      writeSync(fd, page);
      fsyncSync(fd);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return percentile(times.sort((a, b) => a - b), 0.5);
}
