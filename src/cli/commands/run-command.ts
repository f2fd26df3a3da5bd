/**
 * `valetkey run -- COMMAND`: environment variables (inherited, or from --env-file) whose value is
 * a `vk://` reference are resolved in ONE /v1/resolve call and handed to the child; the child's
 * output has every value masked unless --no-masking; its exit status is ours.
 */
import { VkError } from '../../shared/errors.js';
import { flag, values, type Command } from '../command.js';
import { runChild } from '../agent/child-runner.js';
import { findEnvReferences, readEnvFile } from '../agent/env-file.js';
import { PROFILE_OPTION, REASON_OPTION, openAgentSession, requireReason } from '../agent/agent-session.js';
import { startProxy } from '../proxy/proxy-session.js';

export const runCommand: Command = {
  words: ['run'],
  summary: 'Run a command with vk:// references in its environment resolved, and their values masked in its output',
  usage: '[--env-file FILE]... [--no-masking] [--proxy [--refuse-other-hosts]] --reason "why" [--profile P] -- COMMAND [ARGS...]',
  details:
    'Every variable whose whole value is vk://VAULT/ENTRY/FIELD (from the environment or an --env-file, later files\n' +
    'winning) gets the secret instead; all are resolved in one call, audited with the reason (or VALETKEY_REASON).\n' +
    'The child\'s stdout and stderr have each value, and its base64 and URL-encoded forms, replaced by\n' +
    '<concealed by valetkey> unless --no-masking (masking pipes the output, so the child sees no terminal).\n' +
    'Needs a read scope: the child holds the values. Exit status: the child\'s (128+N if signal N ended it).\n' +
    '--proxy: the child also gets HTTPS_PROXY and a CA bundle (see valetkey proxy); a use scope is enough for that.',
  options: { 'env-file': { type: 'string', multiple: true }, 'no-masking': { type: 'boolean' }, proxy: { type: 'boolean' }, 'refuse-other-hosts': { type: 'boolean' }, ...REASON_OPTION, ...PROFILE_OPTION },
  async run(ctx, args) {
    const [command, ...rest] = args.positionals;
    if (command === undefined) throw new VkError('invalid_request', 'usage: valetkey run [--env-file FILE] --reason "why" -- COMMAND [ARGS...]');
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const file of values(args, 'env-file')) Object.assign(env, readEnvFile(file));
    const { names, refs } = findEnvReferences(env);
    let resolved: Readonly<Record<string, string>> = {};
    if (refs.length > 0) {
      const reason = requireReason(args);
      const { client, credential } = await openAgentSession(ctx, args);
      resolved = await client.resolve(credential, refs, reason);
      for (const name of names) env[name] = resolved[(env[name] ?? '').trim()];
    }
    const mask = flag(args, 'no-masking') ? undefined : [...new Set(Object.values(resolved))];
    if (!flag(args, 'proxy')) return runChild({ command, args: rest, env, mask });
    const proxy = await startProxy(await openAgentSession(ctx, args), requireReason(args), { port: 0, other: flag(args, 'refuse-other-hosts') ? 'refuse' : 'tunnel' });
    try {
      return await runChild({ command, args: rest, env: { ...env, ...proxy.env }, mask });
    } finally {
      await proxy.close();
    }
  },
};
