/** The one atomic-write helper: 0600, whole or not at all, no temp file left, refuses or replaces as asked. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeFileDurably, writeFileAtomic } from '../../../src/core/fs/atomic-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes a new 0600 file and leaves no temp file beside it', () => {
    const file = join(dir, 'a.json');
    writeFileAtomic(file, '{"a":1}', { overwrite: false });
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('replaces an existing file (and its loose mode) when asked, and refuses it otherwise', () => {
    const file = join(dir, 'b.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    expect(() => writeFileAtomic(file, 'new', { overwrite: false })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['b.json']);
    writeFileAtomic(file, 'new', { overwrite: true });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('fails without a trace when the folder is missing', () => {
    expect(() => writeFileAtomic(join(dir, 'no', 'c.json'), 'x', { overwrite: true })).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    removeFileDurably(join(dir, 'absent'));
    expect(readdirSync(dir)).toEqual([]);
  });
});
