/**
 * The final count of `npm test`: every step and every Vitest report, summed into one honest
 * `total: N passed, N failed, N skipped` line. A file that dies in a hook or at import has no
 * failed test in Vitest's count, so it is counted here; so are a missing report, a runner that
 * exited non-zero with nothing failed in its report (an unhandled error), and a failed step.
 *
 *   node scripts/test-summary.mjs [--step NAME=EXIT]... [--vitest NAME=EXIT:REPORT.json]...
 *
 * Exits 1 when anything failed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {{ readonly passed: number, readonly failed: number, readonly skipped: number, readonly problems: readonly string[] }} Tally
 * @typedef {{ readonly kind: 'step', readonly name: string, readonly exit: number }
 *   | { readonly kind: 'vitest', readonly name: string, readonly exit: number, readonly report: string }} Part
 */

/** @param {unknown} v */
const count = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

/** @param {unknown} v @returns {readonly Record<string, unknown>[]} */
const records = (v) => (Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null) : []);

/** @param {string} name @param {number} exit @returns {Tally} */
export function tallyStep(name, exit) {
  return exit === 0
    ? { passed: 0, failed: 0, skipped: 0, problems: [] }
    : { passed: 0, failed: 1, skipped: 0, problems: [`${name}: step failed (exit ${exit})`] };
}

/**
 * One Vitest JSON report (`undefined` when it is missing or unreadable) and the exit code of the run.
 * @param {string} name @param {unknown} report @param {number} exit @returns {Tally}
 */
export function tallyVitest(name, report, exit) {
  if (typeof report !== 'object' || report === null) {
    return { passed: 0, failed: 1, skipped: 0, problems: [`${name}: no readable JSON report (vitest exit ${exit})`] };
  }
  const r = /** @type {Record<string, unknown>} */ (report);
  const problems = [];
  let failed = count(r.numFailedTests);
  let skipped = count(r.numPendingTests) + count(r.numTodoTests);
  for (const file of records(r.testResults)) {
    if (file.status !== 'failed') continue;
    const tests = records(file.assertionResults);
    const failedTitles = tests.filter((t) => t.status === 'failed').map((t) => String(t.fullName ?? t.title));
    const why = String(file.message ?? '').split('\n')[0] || (failedTitles.length > 0 ? `failed: ${failedTitles.join('; ')}` : 'no message');
    problems.push(`${name}: FAILED ${String(file.name)}: ${why}`);
    // Its tests that never ran are not "skipped": the file failed, and counts once more if no test did.
    skipped -= tests.filter((t) => t.status === 'skipped' || t.status === 'pending' || t.status === 'todo').length;
    if (!tests.some((t) => t.status === 'failed')) failed += 1;
  }
  const suitesFailed = count(r.numFailedTestSuites) > 0 || r.success === false;
  if (failed === 0 && (exit !== 0 || suitesFailed)) {
    failed = 1;
    problems.push(`${name}: vitest exited ${exit} (success: ${String(r.success)}) with no failed test in its report: look for an unhandled error above`);
  }
  return { passed: count(r.numPassedTests), failed, skipped: Math.max(0, skipped), problems };
}

/** @param {readonly Tally[]} tallies @returns {Tally} */
export function sumTallies(tallies) {
  return tallies.reduce(
    (a, t) => ({ passed: a.passed + t.passed, failed: a.failed + t.failed, skipped: a.skipped + t.skipped, problems: [...a.problems, ...t.problems] }),
    { passed: 0, failed: 0, skipped: 0, problems: [] },
  );
}

/** @param {Tally} t */
export const formatTotal = (t) => `total: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`;

/** @param {string} path @returns {unknown} */
function readReport(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/** @param {readonly string[]} argv @returns {Part[]} */
export function parseArgs(argv) {
  /** @type {Part[]} */
  const parts = [];
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const m = /^([^=]+)=(\d+)(?::(.+))?$/.exec(argv[i + 1] ?? '');
    if (m === null || (flag !== '--step' && flag !== '--vitest') || (flag === '--vitest') !== (m[3] !== undefined)) {
      throw new Error(`usage: --step NAME=EXIT | --vitest NAME=EXIT:REPORT (at "${flag} ${argv[i + 1] ?? ''}")`);
    }
    const [, name = '', exit] = m;
    parts.push(flag === '--step' ? { kind: 'step', name, exit: Number(exit) } : { kind: 'vitest', name, exit: Number(exit), report: m[3] ?? '' });
  }
  return parts;
}

/** @param {Part} p @returns {Tally} */
export const tallyPart = (p) => (p.kind === 'step' ? tallyStep(p.name, p.exit) : tallyVitest(p.name, readReport(p.report), p.exit));

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const parts = parseArgs(process.argv.slice(2));
  const tallies = parts.map(tallyPart);
  const total = sumTallies(tallies);
  console.log('');
  for (const problem of total.problems) console.log(problem);
  parts.forEach((p, i) => {
    const t = tallies[i];
    if (p.kind === 'vitest' && t) console.log(`${p.name}: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
  });
  console.log(formatTotal(total));
  process.exit(total.failed > 0 ? 1 : 0);
}
