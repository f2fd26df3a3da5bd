/**
 * bin/valetkey.cjs runs the agent bundle with V8's code cache kept beside it, one file per command
 * word. These run a copy of the built CLI (`npm run build:cli`) in a temp dir: a successful
 * command leaves a cache that the next run uses as it is; a cache V8 refuses, or one older than the
 * bundle, is replaced; a failed command writes none; and the person's commands, which the bundle
 * reaches through an import() the cache would break, still run from a cached start.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;
let home: string;

function cli(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'valetkey.cjs'), ...args], { env: { ...process.env, VALETKEY_HOME: home }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheOf = (word: string): string => path.join(dir, 'out', 'cli', `valetkey.cjs.${word}.v8-cache`);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-code-cache-'));
  home = path.join(dir, 'home');
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.copyFileSync(path.join(ROOT, 'bin', 'valetkey.cjs'), path.join(dir, 'bin', 'valetkey.cjs'));
  fs.cpSync(path.join(ROOT, 'out', 'cli'), path.join(dir, 'out', 'cli'), { recursive: true, filter: (f) => !f.endsWith('.v8-cache') });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the CLI’s code cache', () => {
  it('a successful command leaves a cache; the next run uses it unchanged and prints the same', () => {
    const first = cli(['init', '--help']);
    expect(first.status, first.stderr).toBe(0);
    const written = fs.statSync(cacheOf('init'));
    expect(written.size).toBeGreaterThan(1000);
    const second = cli(['init', '--help']);
    expect(second).toEqual(first);
    // Not rewritten: V8 took it (a refused cache would have been replaced).
    expect(fs.statSync(cacheOf('init')).mtimeMs).toBe(written.mtimeMs);
  });

  it('a command that fails writes no cache', () => {
    const r = cli(['status']);
    expect(r.status).toBe(3); // no engine here
    expect(fs.existsSync(cacheOf('status'))).toBe(false);
  });

  it('a cache V8 refuses (not a cache at all) is replaced, and the command runs as if there were none', () => {
    cli(['whoami', '--help']);
    fs.writeFileSync(cacheOf('whoami'), Buffer.alloc(4096, 7));
    const r = cli(['whoami', '--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('whoami');
    expect(fs.readFileSync(cacheOf('whoami')).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('a cache older than the bundle is not used and is written anew', () => {
    cli(['read', '--help']);
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(cacheOf('read'), old, old);
    const r = cli(['read', '--help']);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.statSync(cacheOf('read')).mtimeMs).toBeGreaterThan(old.getTime() + 1000);
  });

  it('leaves no temporary files behind', () => {
    expect(fs.readdirSync(path.join(dir, 'out', 'cli')).filter((f) => /\.v8-cache\.\d+$/.test(f))).toEqual([]);
  });
});
