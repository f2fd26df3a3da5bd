// Bundles the CLI and headless engine into ESM under out/cli so `valetkey` starts fast (no
// TypeScript at run time). Split per command module (src/cli/command-index.ts imports each one
// lazily): an agent's `valetkey read` loads its own chunk, not the engine, importers or MCP.
// Native and WASM-loading modules stay external.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('out/cli', { recursive: true, force: true });
await build({
  // The import worker is its own entry: the engine starts it by path, beside valetkey.mjs (import-runner.ts).
  entryPoints: { valetkey: 'src/cli/bin.ts', 'import-worker': 'src/core/import/import-worker.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', '@napi-rs/keyring', 'libsodium-wrappers-sumo', 'electron'],
  banner: { js: "import { createRequire as __vkCreateRequire } from 'node:module'; const require = __vkCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
