import { defineConfig } from 'vitest/config';

/**
 * The torture suite (`npm run torture`, and a bounded step of `npm test`): real engine processes
 * under load, kill -9, revocation races, 100,000 malformed requests, a full disk and a soak. Files
 * are `*.torture.ts` so the ordinary suite never picks them up. One file at a time: they measure
 * memory and race timings, and each keeps both cores busy on its own.
 */
export default defineConfig({
  test: {
    include: ['test/torture/**/*.torture.ts'],
    globalSetup: ['test/helpers/build-cli.global.ts', 'test/torture/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 420_000,
    hookTimeout: 120_000,
  },
});
