/**
 * The order files start in (vitest.config.ts `sequence.sequencer`): Vitest's own order, except that
 * the files that each take a quarter minute or more start first within their group. A clean clone
 * has no timings from an earlier run, so Vitest would start them in the order it found them, and a
 * group could end with one long file running alone while the other core waits. Only the order
 * changes; a file named here that a run does not include is simply not there.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const LONG_FILES = [
  'test/core/audit-out/export-memory.test.ts',
  'test/e2e-agent/openid-client-interop.test.ts',
  'test/core/daemon/daemon.test.ts',
  'test/cli/admin-cli.test.ts',
  'test/cli/recovery.test.ts',
  'test/cli/import-commands.test.ts',
  'test/core/import/import.security.test.ts',
  'test/security/attacks-passphrase.security.test.ts',
  'test/core/import/import-service.test.ts',
  'test/core/keys/keychain-unavailable.test.ts',
  'test/security/attacks-tamper.security.test.ts',
];

export class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const i = LONG_FILES.findIndex((name) => file.moduleId.endsWith(`/${name}`));
      return i < 0 ? LONG_FILES.length : i;
    };
    // Vitest's order keeps each project's files together, and projects run in that order.
    const ordered: TestSpecification[] = [];
    for (let start = 0; start < sorted.length; ) {
      let end = start;
      while (end < sorted.length && sorted[end]!.project.name === sorted[start]!.project.name) end++;
      const group = sorted.slice(start, end).map((file, i) => ({ file, i, rank: rank(file) }));
      group.sort((a, b) => a.rank - b.rank || a.i - b.i);
      ordered.push(...group.map((g) => g.file));
      start = end;
    }
    return ordered;
  }
}
