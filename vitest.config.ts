import { defineConfig } from 'vitest/config';
import { PROCESS_SETUP_TIMEOUT_MS } from './test/helpers/cli.js';
import { LongFirstSequencer } from './test/helpers/long-first-sequencer.js';

/**
 * Files that start other programs: engine daemons and CLI processes, rsyslog, tsc, child processes
 * killed mid-write. They run after the unit files, two at a time: most of their time is spent
 * waiting on the programs they start, and every hook and test here has a process-sized timeout.
 */
export const PROCESS_FILES = [
  'sdk/js/test/errors.security.test.ts',
  'sdk/js/test/exit-revoke.test.ts',
  'sdk/js/test/package.test.ts',
  'sdk/js/test/use.test.ts',
  'sdk/js/test/valetkey.test.ts',
  'test/cli/admin-cli.test.ts',
  'test/cli/agent-approvals.test.ts',
  'test/cli/agent-cli.security.test.ts',
  'test/cli/agent-cli.test.ts',
  'test/cli/audit-out.test.ts',
  'test/cli/cli-code-cache.test.ts',
  'test/cli/import-commands.test.ts',
  'test/cli/recovery.test.ts',
  'test/cli/run-signals.test.ts',
  'test/core/audit/audit-crash.test.ts',
  'test/core/audit-out/export-memory.test.ts',
  'test/core/audit-out/syslog-rsyslog.test.ts',
  'test/core/daemon/**/*.test.ts',
  'test/e2e-agent/**/*.test.ts',
  'test/mcp/mcp-credentials.test.ts',
  'test/mcp/mcp-http.security.test.ts',
  'test/mcp/mcp-stdio.test.ts',
  'test/security/attacks-daemon.security.test.ts',
];

/**
 * Files that drive Chromium (or Electron) against a live engine: a browser with its renderer
 * processes takes both cores, so these run last, one at a time.
 */
export const BROWSER_FILES = ['test/e2e/**/*.test.ts', 'test/main/electron-e2e.test.ts'];

const ALL_FILES = ['test/**/*.test.ts', 'sdk/js/test/**/*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // The tests start `valetkey` as installed: its bundle is built from these sources first.
    globalSetup: ['test/helpers/build-cli.global.ts'],
    // Long files start first in their group, so no group ends with one of them alone.
    sequence: { sequencer: LongFirstSequencer },
    // Argon2id and real engines take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ALL_FILES,
          exclude: [...PROCESS_FILES, ...BROWSER_FILES],
          // Two cores: two files at a time.
          maxWorkers: 2,
          // In-process engines repeat the same Argon2id work hundreds of times: remembered (test-only).
          setupFiles: ['test/helpers/argon2id-memo.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'process',
          include: PROCESS_FILES,
          // After the unit group has finished (groups run in order).
          sequence: { groupOrder: 1 },
          maxWorkers: 2,
          // Each test and hook here starts programs (Argon2id at init, unlock and grants).
          testTimeout: 120_000,
          hookTimeout: PROCESS_SETUP_TIMEOUT_MS,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: BROWSER_FILES,
          sequence: { groupOrder: 2 },
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 120_000,
          hookTimeout: PROCESS_SETUP_TIMEOUT_MS,
        },
      },
    ],
  },
});
