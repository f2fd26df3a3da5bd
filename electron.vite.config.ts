import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

/** Native or WASM-backed packages load from node_modules at run time (asarUnpack'd), never bundled. */
const RUNTIME_DEPENDENCIES = ['better-sqlite3', '@napi-rs/keyring', 'libsodium-wrappers-sumo'];

export default defineConfig({
  main: {
    build: {
      externalizeDeps: { include: RUNTIME_DEPENDENCIES },
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'engine-entry': resolve(import.meta.dirname, 'src/main/engine-entry.ts'),
          // Started by path from the engine (src/core/import/import-runner.ts), so it needs its own file.
          'import-worker': resolve(import.meta.dirname, 'src/core/import/import-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules: CommonJS, named .cjs because package.json says "module".
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    build: {
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') },
      },
    },
    plugins: [react()],
  },
});
