import { defineConfig } from 'vitest/config';
import { PROCESS_SETUP_TIMEOUT_MS } from './test/helpers/cli.js';

/**
 * Files that start other programs: engine daemons and CLI processes, Chromium, Electron, rsyslog,
 * tsc, child processes killed mid-write. Their processes compete for the two cores (tsx start-up,
 * Argon2id at unlock, a browser); two such files at once, beside the parallel unit files, made the
 * SDK suite's set-up hook time out on a loaded machine. They run after the unit files, one at a time.
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
  'test/cli/import-commands.test.ts',
  'test/cli/recovery.test.ts',
  'test/cli/run-signals.test.ts',
  'test/core/audit/audit-crash.test.ts',
  'test/core/audit-out/export-memory.test.ts',
  'test/core/audit-out/syslog-rsyslog.test.ts',
  'test/core/daemon/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/e2e-agent/**/*.test.ts',
  'test/main/electron-e2e.test.ts',
  'test/mcp/mcp-credentials.test.ts',
  'test/mcp/mcp-http.security.test.ts',
  'test/mcp/mcp-stdio.test.ts',
  'test/security/attacks-daemon.security.test.ts',
];

const ALL_FILES = ['test/**/*.test.ts', 'sdk/js/test/**/*.test.ts'];

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    // Argon2id and real engines take seconds, not milliseconds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ALL_FILES,
          exclude: PROCESS_FILES,
          // Two cores: two files at a time.
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: {
          name: 'process',
          include: PROCESS_FILES,
          // After the unit group has finished (groups run in order), and one file at a time.
          sequence: { groupOrder: 1 },
          fileParallelism: false,
          maxWorkers: 1,
          // Each test and hook here starts programs (tsx start-up, Argon2id at unlock).
          testTimeout: 120_000,
          hookTimeout: PROCESS_SETUP_TIMEOUT_MS,
        },
      },
    ],
  },
});
