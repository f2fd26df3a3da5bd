/**
 * Which module holds the commands that start with which word. Only the modules a command line
 * names are loaded (the CLI bundle is split per module), so `valetkey read` starts without the
 * admin, import, audit export or MCP code. test/cli/command-index.test.ts keeps this table true.
 */
import { AGENT_COMMAND_MODULES } from './agent-command-index.js';
import type { Command, CommandModule } from './command.js';
import { loadAllCommands as loadAllOf, loadCommandsFor as loadCommandsOf } from './run-cli.js';

export type { CommandModule } from './command.js';

export const COMMAND_MODULES: readonly CommandModule[] = [
  { words: ['init', 'daemon', 'status', 'lock', 'unlock'], load: async () => (await import('./commands/engine-commands.js')).engineCommands },
  { words: ['vault'], load: async () => (await import('./commands/vault-commands.js')).vaultCommands },
  { words: ['item'], load: async () => (await import('./commands/item-commands.js')).itemCommands },
  { words: ['audit'], load: async () => (await import('./commands/audit-commands.js')).auditCommands },
  { words: ['audit'], load: async () => (await import('./commands/audit-out-commands.js')).auditOutCommands },
  { words: ['recovery'], load: async () => (await import('./commands/recovery-commands.js')).recoveryCommands },
  { words: ['dashboard-url'], load: async () => (await import('./commands/dashboard-commands.js')).dashboardCommands },
  { words: ['import', 'backup', 'export'], load: async () => (await import('./commands/import-commands.js')).importCommands },
  ...AGENT_COMMAND_MODULES,
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
export function loadAllCommands(): Promise<readonly Command[]> {
  return loadAllOf(COMMAND_MODULES);
}

/** The commands a command line can mean: those of the modules its first word names. */
export function loadCommandsFor(firstWord: string | undefined): Promise<readonly Command[]> {
  return loadCommandsOf(COMMAND_MODULES, firstWord);
}
