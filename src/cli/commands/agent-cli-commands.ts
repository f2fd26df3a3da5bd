/**
 * The commands of issue 5 in one list for main.ts: the agent side (login, read, run, inject,
 * fetch) and the person's side of tokens, approvals, requests, pause/resume and audit tail.
 */
import type { Command } from '../command.js';
import { approvalCommands } from './approval-commands.js';
import { controlCommands } from './control-commands.js';
import { credentialHelperCommand } from './credential-helper-command.js';
import { loginCommands } from './login-commands.js';
import { runCommand } from './run-command.js';
import { proxyCommand } from './proxy-command.js';
import { secretCommands } from './secret-commands.js';
import { sshAgentCommand } from './ssh-agent-command.js';
import { tokenCommands } from './token-commands.js';
import { tripwireCommands } from './tripwire-commands.js';

export const agentCliCommands: readonly Command[] = [...loginCommands, ...secretCommands, runCommand, credentialHelperCommand, sshAgentCommand, proxyCommand, ...tokenCommands, ...tripwireCommands, ...approvalCommands, ...controlCommands];
