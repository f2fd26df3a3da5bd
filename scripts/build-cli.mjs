// Bundles the CLI and headless engine into one ESM file so `valetkey` starts fast
// (no TypeScript at run time). Native and WASM-loading modules stay external.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/bin.ts'],
  outfile: 'out/cli/valetkey.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', '@napi-rs/keyring', 'libsodium-wrappers-sumo', 'electron'],
  banner: { js: "import { createRequire as __vkCreateRequire } from 'node:module'; const require = __vkCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
