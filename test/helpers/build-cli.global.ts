/**
 * Vitest's global set-up: builds the CLI bundle (out/cli) from the current sources before any test
 * runs, so the tests that start `valetkey` processes (helpers/cli.ts) run this program as installed
 * and never an older build. About 2 s.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.js';

export default function setup(): void {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the CLI bundle (npm run build:cli) failed, so no test that starts valetkey can run:\n${r.stdout}${r.stderr}`);
}
