/**
 * `valetkey ssh-agent [-- COMMAND]`: an SSH agent whose keys stay in the engine. It listens on a
 * socket in a fresh 0700 directory and prints SSH_AUTH_SOCK like OpenSSH's ssh-agent; with a
 * command, it runs it with SSH_AUTH_SOCK set and exits with its status. It holds the token and the
 * DPoP key (as every agent command does), never a private SSH key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { fromClientError } from '../../shared/client-error.js';
import { isVkError } from '../../shared/errors.js';
import type { Command } from '../command.js';
import { runChild } from '../agent/child-runner.js';
import { PROFILE_OPTION, REASON_OPTION, openAgentSession, requireReason } from '../agent/agent-session.js';
import { withWaitingNotice } from '../../../sdk/js/src/waiting.js';
import { createSshAgentServer } from '../ssh/ssh-agent-server.js';

function listen(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
}

export const sshAgentCommand: Command = {
  words: ['ssh-agent'],
  summary: 'An SSH agent for the keys the token reaches; each signature is made and audited by the engine',
  usage: '--reason "why" [--profile P] [-- COMMAND [ARGS...]]',
  details:
    'Prints SSH_AUTH_SOCK=…; export it (eval "$(valetkey ssh-agent --reason …)" in a shell that keeps it running, or\n' +
    'give a COMMAND to run with it). Lists ssh_key entries the token may use or read; every signature is one engine call,\n' +
    'audited as secret.use with the reason and the server\'s host key when the SSH client binds the session. Sensitive\n' +
    'vaults ask the person as for reads. The socket lives in a new 0700 directory, removed on exit.',
  options: { ...REASON_OPTION, ...PROFILE_OPTION },
  async run(ctx, args) {
    const reason = requireReason(args);
    const { client, credential } = await openAgentSession(ctx, args);
    const dir = mkdtempSync(join(tmpdir(), 'valetkey-ssh-'));
    const socketPath = join(dir, 'agent.sock');
    // Which entry a key blob is, from the last listing: named in the waiting notice.
    const refs = new Map<string, string>();
    const server = createSshAgentServer({
      keys: async () => {
        const keys = await client.sshKeys(credential);
        for (const k of keys) refs.set(k.publicKey.split(' ')[1] ?? '', k.ref);
        return keys;
      },
      // ssh shows nothing while a sensitive vault waits for the person: the agent's stderr says so.
      sign: (request) => withWaitingNotice([refs.get(request.publicKey) ?? 'an SSH key'], (info) => ctx.err(`valetkey: ${info.message}`), client.sshSign(credential, request, reason)),
      onError: (thrown) => {
        const e = fromClientError(thrown);
        process.stderr.write(`valetkey ssh-agent: ${isVkError(e) ? `${e.message} [${e.code}]` : 'a request failed'}\n`);
      },
    });
    await listen(server, socketPath);
    const cleanup = (): void => {
      server.close();
      rmSync(dir, { recursive: true, force: true });
    };
    const [command, ...rest] = args.positionals;
    if (command !== undefined) {
      try {
        return await runChild({ command, args: rest, env: { ...process.env, SSH_AUTH_SOCK: socketPath }, mask: undefined });
      } finally {
        cleanup();
      }
    }
    ctx.out(`SSH_AUTH_SOCK=${socketPath}; export SSH_AUTH_SOCK;\necho Agent pid ${process.pid};`);
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
    });
    cleanup();
  },
};
