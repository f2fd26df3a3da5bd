/**
 * `valetkey proxy`: the HTTPS proxy as a long-running process, for agents that start their own
 * programs. Prints the variables to export (HTTPS_PROXY and the CA bundle); stops on a signal.
 */
import { flag, value, type Command } from '../command.js';
import { PROFILE_OPTION, REASON_OPTION, openAgentSession, requireReason } from '../agent/agent-session.js';
import { startProxy } from '../proxy/proxy-session.js';
import { VkError } from '../../shared/errors.js';

export const proxyCommand: Command = {
  words: ['proxy'],
  summary: 'An HTTPS proxy that puts secrets into requests to allowed hosts; programs see only redacted answers',
  usage: '--reason "why" [--port N] [--refuse-other-hosts] [--profile P]',
  details:
    'For hosts an entry allows and has an injection setting for (item add|edit --inject "Authorization: Bearer {value}",\n' +
    '--inject-query NAME, --inject-basic, or --inject-for HOST=SETTING), the proxy terminates TLS with a leaf the engine\n' +
    'signed with the data directory\'s CA, and the engine sends the request with the secret (audited as secret.use with\n' +
    'the reason, approvals apply) and answers redacted. Other hosts are tunnelled untouched or refused, as the person set\n' +
    'the token (token create --proxy-other-hosts); --refuse-other-hosts refuses them even where the token would tunnel.\n' +
    'Prints the variables to export: HTTPS_PROXY, HTTP_PROXY (and lower case),\n' +
    'SSL_CERT_FILE, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, GIT_SSL_CAINFO. Needs a use (or read) scope.',
  options: { port: { type: 'string' }, 'refuse-other-hosts': { type: 'boolean' }, ...REASON_OPTION, ...PROFILE_OPTION },
  async run(ctx, args) {
    const port = Number(value(args, 'port') ?? '0');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new VkError('invalid_request', '--port must be a port number');
    const reason = requireReason(args);
    const proxy = await startProxy(await openAgentSession(ctx, args), reason, { port, other: flag(args, 'refuse-other-hosts') ? 'refuse' : 'tunnel' });
    ctx.out(Object.entries(proxy.env).map(([name, v]) => `${name}=${v}; export ${name};`).join('\n'));
    await new Promise<void>((resolve) => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => resolve());
    });
    await proxy.close();
  },
};
