/**
 * Every command answers --help, in-process: a process start per command (tsx) took minutes on a
 * busy machine. The admin CLI test still runs --help in its own process for a few commands.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadAllCommands, loadCommandsFor } from '../../src/cli/command-index.js';
import { main } from '../../src/cli/main.js';

const AGENT_WORDS = ['login', 'logout', 'whoami', 'read', 'inject', 'fetch', 'run', 'token', 'approvals', 'requests', 'pause', 'resume'];
const agentCliCommands = (await Promise.all(AGENT_WORDS.map(loadCommandsFor))).flat().filter((c, i, all) => all.indexOf(c) === i);
const COMMANDS = await loadAllCommands();

afterEach(() => vi.restoreAllMocks());

async function helpOf(words: readonly string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const code = await main([...words, '--help']);
  vi.restoreAllMocks();
  return { code, out };
}

describe('agent CLI --help', () => {
  it('is registered in the one command table, each command once', () => {
    for (const c of agentCliCommands) expect(COMMANDS.filter((x) => x.words.join(' ') === c.words.join(' '))).toHaveLength(1);
  });

  it('prints usage for every command, with exit code 0', async () => {
    for (const c of agentCliCommands) {
      const { code, out } = await helpOf(c.words);
      expect(code, c.words.join(' ')).toBe(0);
      expect(out).toContain(`Usage: valetkey ${c.words.join(' ')} ${c.usage}`.trimEnd());
    }
  });

  it('prints usage for every command in the table, the admin ones too, with exit code 0', async () => {
    expect(COMMANDS.length).toBeGreaterThan(agentCliCommands.length);
    for (const c of COMMANDS) {
      const { code, out } = await helpOf(c.words);
      expect(code, c.words.join(' ')).toBe(0);
      expect(out).toContain(`Usage: valetkey ${c.words.join(' ')}`);
    }
  });

  it('documents exit code 11 in the general help', async () => {
    const { out } = await helpOf([]);
    expect(out).toContain('11 the target of a fetch failed');
  });
});
