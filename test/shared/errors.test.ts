import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERRORS, VkError, fromWire, type ErrorCode } from '../../src/shared/errors.js';
import { exitCodeFor } from '../../src/cli/exit-codes.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');

describe('the error table', () => {
  it('documents every code in the README with its HTTP status', () => {
    const missing = (Object.keys(ERRORS) as ErrorCode[]).filter((code) => !readme.includes(`| \`${code}\` | ${ERRORS[code].status} |`));
    expect(missing).toEqual([]);
  });

  it('lists no code in the README that the engine does not have', () => {
    const documented = [...readme.matchAll(/^\| `([a-z_]+)` \| \d{3} \|/gm)].map((m) => m[1]);
    expect(documented.filter((c) => !(c! in ERRORS))).toEqual([]);
  });

  it('round-trips through the wire shape', () => {
    const e = new VkError('vault_locked');
    const back = fromWire(JSON.parse(JSON.stringify(e.toJSON())));
    expect(back.code).toBe('vault_locked');
    expect(back.status).toBe(423);
    expect(fromWire({ error: 'made_up' }).code).toBe('internal_error');
  });

  it('gives every code a CLI exit code, and only internal_error the generic 1', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const exit = exitCodeFor(code);
      if (code === 'internal_error') expect(exit).toBe(1);
      else expect(exit, code).not.toBe(1);
    }
  });
});
