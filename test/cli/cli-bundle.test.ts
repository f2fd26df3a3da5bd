/**
 * The built CLI as installed (`npm run build:cli` first): bin/valetkey.cjs runs the CommonJS
 * bundle, which holds the agent's commands in one file and hands every other command to the ESM
 * bundle; `--version` and the overview load no command (scripts/build-cli.mjs, src/cli/bin.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAllCommands } from '../../src/cli/command-index.js';
import { EXIT } from '../../src/cli/exit-codes.js';
import { overviewText } from '../../src/cli/run-cli.js';
import { VALETKEY_VERSION } from '../../src/shared/version.js';
import { tempHome } from '../helpers/temp-home.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'valetkey.cjs');
const CJS_BUNDLE = join(ROOT, 'out', 'cli', 'valetkey.cjs');
const home = tempHome();
afterAll(() => home.cleanup());

function valetkey(args: readonly string[]): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, VALETKEY_HOME: home.dir, VALETKEY_REASON: 'bundle test' };
  delete env['VALETKEY_PROFILE'];
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the built CLI', () => {
  it('is built (run npm run build:cli)', () => {
    expect(existsSync(CJS_BUNDLE)).toBe(true);
  });

  it('prints the version', () => {
    expect(valetkey(['--version'])).toMatchObject({ code: EXIT.ok, stdout: `valetkey ${VALETKEY_VERSION}\n` });
  });

  it('prints the same overview as the command table, from the file the build wrote', async () => {
    const expected = `${overviewText(await loadAllCommands())}\n`;
    expect(valetkey(['--help'])).toMatchObject({ code: EXIT.ok, stdout: expected });
    expect(valetkey([])).toMatchObject({ code: EXIT.ok, stdout: expected });
  });

  it('runs an agent command from the one-file bundle: not logged in is an agent-credentials exit', () => {
    const r = valetkey(['read', 'vk://v/e/password']);
    expect(r.stderr).toContain('not logged in as profile default');
    expect(r.code).toBe(EXIT.unauthorizedAgent);
  });

  it('builds no standard input stream for an agent command: Node makes process.stdin on first access, at a cost', () => {
    // Preloaded: reports on stderr whether anything read process.stdin before the process exited.
    const probe = join(home.dir, 'stdin-probe.cjs');
    writeFileSync(
      probe,
      `const d = Object.getOwnPropertyDescriptor(process, 'stdin'); let built = false;
       Object.defineProperty(process, 'stdin', { ...d, get() { built = true; return d.get.call(process); } });
       process.on('exit', () => process.stderr.write('stdin built: ' + built + '\\n'));`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, VALETKEY_HOME: home.dir, VALETKEY_REASON: 'bundle test' };
    delete env['VALETKEY_PROFILE'];
    const read = spawnSync(process.execPath, ['--require', probe, BIN, 'read', 'vk://v/e/password'], { env, encoding: 'utf8' });
    expect(read.stderr).toContain('not logged in as profile default');
    expect(read.stderr).toContain('stdin built: false');
    // The probe sees it when it happens: a command that asks does build it.
    const asks = spawnSync(process.execPath, ['--require', probe, BIN, 'unlock'], { env, encoding: 'utf8', input: '' });
    expect(asks.stderr).toContain('stdin built: true');
  });

  it('hands an admin command to the split bundle', () => {
    const r = valetkey(['vault', 'list', '--help']);
    expect(r.code).toBe(EXIT.ok);
    expect(r.stdout).toContain('Usage: valetkey vault list');
  });

  it('keeps the engine, the importers and the MCP SDK out of the agent bundle', () => {
    const bundle = readFileSync(CJS_BUNDLE, 'utf8');
    for (const heavy of ['better-sqlite3', '@modelcontextprotocol', 'libsodium', 'engineCommands']) expect(bundle).not.toContain(heavy);
  });
});
