/**
 * Which module holds the commands that start with which word. Only the modules a command line
 * names are loaded (the CLI bundle is split per module), so `valetkey read` starts without the
 * admin, import, audit export or MCP code. test/cli/command-index.test.ts keeps this table true.
 */
import type { Command } from './command.js';

export interface CommandModule {
  /** The first words of the module's commands. */
  readonly words: readonly string[];
  load(): Promise<readonly Command[]>;
}

export const COMMAND_MODULES: readonly CommandModule[] = [
  { words: ['init', 'daemon', 'status', 'lock', 'unlock'], load: async () => (await import('./commands/engine-commands.js')).engineCommands },
  { words: ['vault'], load: async () => (await import('./commands/vault-commands.js')).vaultCommands },
  { words: ['item'], load: async () => (await import('./commands/item-commands.js')).itemCommands },
  { words: ['audit'], load: async () => (await import('./commands/audit-commands.js')).auditCommands },
  { words: ['audit'], load: async () => (await import('./commands/audit-out-commands.js')).auditOutCommands },
  { words: ['recovery'], load: async () => (await import('./commands/recovery-commands.js')).recoveryCommands },
  { words: ['dashboard-url'], load: async () => (await import('./commands/dashboard-commands.js')).dashboardCommands },
  { words: ['import', 'backup', 'export'], load: async () => (await import('./commands/import-commands.js')).importCommands },
  { words: ['login', 'logout', 'whoami'], load: async () => (await import('./commands/login-commands.js')).loginCommands },
  { words: ['read', 'inject', 'fetch'], load: async () => (await import('./commands/secret-commands.js')).secretCommands },
  { words: ['run'], load: async () => [(await import('./commands/run-command.js')).runCommand] },
  { words: ['credential-helper'], load: async () => [(await import('./commands/credential-helper-command.js')).credentialHelperCommand] },
  { words: ['ssh-agent'], load: async () => [(await import('./commands/ssh-agent-command.js')).sshAgentCommand] },
  { words: ['proxy'], load: async () => [(await import('./commands/proxy-command.js')).proxyCommand] },
  { words: ['token'], load: async () => (await import('./commands/token-commands.js')).tokenCommands },
  { words: ['alerts', 'token'], load: async () => (await import('./commands/tripwire-commands.js')).tripwireCommands },
  { words: ['approvals', 'requests'], load: async () => (await import('./commands/approval-commands.js')).approvalCommands },
  { words: ['pause', 'resume', 'audit'], load: async () => (await import('./commands/control-commands.js')).controlCommands },
  { words: ['mcp'], load: async () => (await import('./commands/mcp-commands.js')).mcpCommands },
];

/** Every command, in help order (for `valetkey --help` and the tests). */
export async function loadAllCommands(): Promise<readonly Command[]> {
  return (await Promise.all(COMMAND_MODULES.map((m) => m.load()))).flat();
}

/** The commands a command line can mean: those of the modules its first word names. */
export async function loadCommandsFor(firstWord: string | undefined): Promise<readonly Command[]> {
  const modules = COMMAND_MODULES.filter((m) => firstWord !== undefined && m.words.includes(firstWord));
  return (await Promise.all(modules.map((m) => m.load()))).flat();
}
