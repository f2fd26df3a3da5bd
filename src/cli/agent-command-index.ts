/**
 * The agent's commands: what an agent runs once per tool call. They are bundled on their own
 * (out/cli/agent.cjs, one file) so their start-up loads nothing else; command-index.ts lists
 * them with the rest.
 */
import type { CommandModule } from './command.js';

export const AGENT_COMMAND_MODULES: readonly CommandModule[] = [
  { words: ['login', 'logout', 'whoami'], load: async () => (await import('./commands/login-commands.js')).loginCommands },
  { words: ['read', 'inject', 'fetch'], load: async () => (await import('./commands/secret-commands.js')).secretCommands },
  { words: ['run'], load: async () => [(await import('./commands/run-command.js')).runCommand] },
];
