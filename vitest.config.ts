import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'sdk/js/test/**/*.test.ts'],
    environment: 'node',
    // Argon2id at MODERATE and real child processes take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep the file-level parallelism modest so timing-sensitive flows stay honest.
    maxWorkers: 2,
    pool: 'forks',
  },
});
