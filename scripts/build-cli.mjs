// Bundles the CLI and headless engine under out/cli so `valetkey` starts fast (no TypeScript at
// run time), twice from the same entry (src/cli/bin.ts):
// * out/cli/valetkey.mjs + chunks/: ESM split per command module (src/cli/command-index.ts imports
//   each one lazily), so an admin command loads its own chunk, not the engine, importers or MCP;
//   out/cli/main.mjs is the whole table's entry.
// * out/cli/valetkey.cjs: what bin/valetkey.cjs runs. One CommonJS file holding the agent's own
//   commands (src/cli/agent-main.ts); any other command imports main.mjs. An agent starts the CLI
//   once per tool call: CommonJS needs no ES module loader, loads a Node built-in only when the code
//   that needs it first runs (`read` never loads child_process or tls) and builds no ES module
//   facade for it (which evaluates every export, tls.rootCertificates included).
// Native and WASM-loading modules stay external.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['better-sqlite3', '@napi-rs/keyring', 'libsodium-wrappers-sumo', 'electron'],
  outdir: 'out/cli',
  logLevel: 'warning',
};

// In the CommonJS bundle, bin.ts's import of the whole table is the ESM bundle beside it, through
// the import() bin/valetkey.cjs lends: it runs this bundle from V8's code cache, and Node 20 cannot
// run an import() written in cached code ("dynamic import callback was not specified").
const MAIN_OUTSIDE = `
const importBeside = globalThis[Symbol.for('valetkey.importBeside')];
export async function main(argv) {
  const table = await (importBeside === undefined ? import('./main.mjs') : importBeside('./main.mjs'));
  return table.main(argv);
}`;
const mainOutside = {
  name: 'main-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\/main\.js$/ }, (args) => (args.importer.endsWith('bin.ts') ? { path: 'main', namespace: 'main-outside' } : undefined));
    b.onResolve({ filter: /^\.\/main\.mjs$/ }, () => ({ path: './main.mjs', external: true }));
    b.onLoad({ filter: /.*/, namespace: 'main-outside' }, () => ({ contents: MAIN_OUTSIDE, loader: 'js' }));
  },
};

rmSync('out/cli', { recursive: true, force: true });
await build({
  ...common,
  // The import worker is its own entry: the engine starts it by path, beside valetkey.mjs (import-runner.ts).
  entryPoints: { valetkey: 'src/cli/bin.ts', main: 'src/cli/main.ts', 'import-worker': 'src/core/import/import-worker.ts' },
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  banner: { js: "import { createRequire as __vkCreateRequire } from 'node:module'; const require = __vkCreateRequire(import.meta.url);" },
});
await build({
  ...common,
  entryPoints: { valetkey: 'src/cli/bin.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  define: { 'import.meta.url': '__vkModuleUrl' },
  banner: { js: "const __vkModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [mainOutside],
});

// `valetkey --help` prints this file instead of loading every command module to list them.
const help = spawnSync(process.execPath, ['out/cli/valetkey.mjs', '--help'], { encoding: 'utf8' });
if (help.status !== 0) throw new Error(`valetkey --help failed: ${help.stderr}`);
writeFileSync('out/cli/overview.txt', help.stdout);
