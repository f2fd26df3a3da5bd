/**
 * Keeps "one owner per table" honest for the audit ledger: SQL naming the `audit` table is an error
 * anywhere in src/ but src/core/audit/ (and the schema's migrations), and the source tree has none.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd });

async function auditSqlReports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length ?? -1;
}

describe('the audit table has one owner', () => {
  it.each([
    ['src/core/audit-out/x.ts', "export const q = 'SELECT hash FROM audit WHERE seq = ?';"],
    ['src/core/audit-out/x.ts', "export const q = 'DELETE FROM audit WHERE seq <= ?';"],
    ['src/core/backup/x.ts', 'export const q = `SELECT count(*) AS n FROM audit a WHERE a.seq > ?`;'],
    ['src/core/x.ts', "export const q = 'SELECT 1 FROM vaults v JOIN audit a ON a.vault_id = v.id';"],
    ['src/core/integrity/x.ts', "export const q = 'UPDATE audit SET reason = ?';"],
    ['src/core/integrity/x.ts', "export const q = 'INSERT INTO audit (seq) VALUES (?)';"],
    ['src/cli/x.ts', "export const q = 'SELECT max(seq) FROM audit';"],
  ])('reports %s holding: %s', async (file, code) => {
    expect(await auditSqlReports(file, code)).toBe(1);
  });

  it.each([
    ['src/core/audit/x.ts', "export const q = 'SELECT hash FROM audit WHERE seq = ?';"],
    ['src/core/store/migrations/x.ts', "export const q = 'CREATE TABLE audit (seq INTEGER)';"],
    ['src/core/audit-out/x.ts', "export const q = 'DELETE FROM audit_sinks WHERE id = ?';"],
    ['src/core/audit-out/x.ts', "export const q = 'SELECT seq FROM audit_anchor WHERE id = 1';"],
    ['src/renderer/x.tsx', 'export const c = "table audit-table";'],
  ])('allows %s holding: %s', async (file, code) => {
    expect(await auditSqlReports(file, code)).toBe(0);
  });

  it('finds no such SQL anywhere in src/', async () => {
    const results = await eslint.lintFiles(['src/**/*.{ts,tsx}']);
    const offenders = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => `${r.filePath}:${m.line}`));
    expect(offenders).toEqual([]);
  });
});
