#!/usr/bin/env node
// The installed `valetkey` command: runs the bundled CLI (npm run build:cli), or the TypeScript
// source through tsx in a development checkout that has not been built yet.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'out', 'cli', 'valetkey.mjs');
if (existsSync(bundle)) {
  await import(pathToFileURL(bundle).href);
} else {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write('valetkey: not built yet. Run `npm run build:cli` (or `npm ci` in a checkout).\n');
    process.exit(1);
  }
  await import(pathToFileURL(join(root, 'src', 'cli', 'bin.ts')).href);
}
