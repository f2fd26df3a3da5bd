/**
 * The command index (src/cli/command-index.ts) routes a command line to the one module that holds
 * its command; a command whose first word the index does not list for its module could never run.
 */
import { describe, expect, it, vi } from 'vitest';
import { COMMAND_MODULES, loadAllCommands, loadCommandsFor } from '../../src/cli/command-index.js';
import { main } from '../../src/cli/main.js';
import { VALETKEY_VERSION } from '../../src/shared/version.js';

describe('command index', () => {
  it('lists, for each module, exactly the first words of its commands', async () => {
    for (const m of COMMAND_MODULES) {
      const firstWords = new Set((await m.load()).map((c) => c.words[0]));
      expect([...firstWords].sort()).toEqual([...m.words].sort());
    }
  });

  it('finds every command from its own first word, each command once overall', async () => {
    const all = await loadAllCommands();
    const names = all.map((c) => c.words.join(' '));
    expect(new Set(names).size).toBe(names.length);
    for (const c of all) expect(await loadCommandsFor(c.words[0])).toContain(c);
  });

  it('loads nothing for a word no command starts with', async () => {
    expect(await loadCommandsFor('no-such-command')).toEqual([]);
    expect(await loadCommandsFor(undefined)).toEqual([]);
  });

  it('prints the version with --version', async () => {
    let out = '';
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const code = await main(['--version']).finally(() => spy.mockRestore());
    expect(code).toBe(0);
    expect(out).toBe(`valetkey ${VALETKEY_VERSION}\n`);
  });
});
