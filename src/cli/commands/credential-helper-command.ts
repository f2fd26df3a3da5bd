/**
 * `valetkey credential-helper get|store|erase` (also installed as `git-credential-valetkey`, so
 * `git config credential.helper valetkey` finds it): git's credential helper protocol
 * (gitcredentials(7)) over standard input and output. `get` asks the engine for the login of the
 * host git names (POST /v1/credential; a read: git holds the password). `store` and `erase` do
 * nothing: git never writes a vault.
 */
import { VkError } from '../../shared/errors.js';
import type { Command } from '../command.js';
import { PROFILE_OPTION, REASON_OPTION, openAgentSession, requireReason } from '../agent/agent-session.js';

const MAX_INPUT = 64 * 1024;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_INPUT) throw new VkError('invalid_request', 'git sent more than 64 KiB of credential attributes');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `key=value` lines up to a blank line; later keys win, `key[]` lists are not needed here. */
export function parseCredentialAttributes(text: string): ReadonlyMap<string, string> {
  const attributes = new Map<string, string>();
  for (const line of text.split('\n')) {
    const clean = line.replace(/\r$/, '');
    if (clean === '') break;
    const eq = clean.indexOf('=');
    if (eq > 0) attributes.set(clean.slice(0, eq), clean.slice(eq + 1));
  }
  return attributes;
}

/** A value git reads back must not carry a line break: it would end the attribute early. */
function attribute(name: string, v: string): string {
  if (/[\r\n\0]/.test(v)) throw new VkError('invalid_request', `the entry's ${name} contains a line break, which git cannot take`);
  return `${name}=${v}\n`;
}

export const credentialHelperCommand: Command = {
  words: ['credential-helper'],
  summary: 'Git credential helper: answers `get` with the login of an entry allowed for the host (agent; read scope)',
  usage: 'get|store|erase [--reason "why"] [--profile P]',
  details:
    'Set up with `git config --global credential.helper valetkey` (git runs git-credential-valetkey). The reason comes from\n' +
    '--reason or VALETKEY_REASON. `get` answers for https hosts (http only on loopback) that an entry the token may read\n' +
    'lists among its allowed hosts; a username in the URL picks among several. `store` and `erase` never change a vault.',
  options: { ...REASON_OPTION, ...PROFILE_OPTION },
  async run(ctx, args) {
    const action = args.positionals[0];
    if (action === 'store' || action === 'erase') {
      await readStdin();
      return;
    }
    if (action !== 'get') throw new VkError('invalid_request', 'usage: valetkey credential-helper get|store|erase');
    const attributes = parseCredentialAttributes(await readStdin());
    const protocol = attributes.get('protocol');
    const host = attributes.get('host');
    if ((protocol !== 'https' && protocol !== 'http') || host === undefined || host === '') return; // not ours to answer: git asks the next helper
    const reason = requireReason(args);
    const { client, credential } = await openAgentSession(ctx, args);
    const username = attributes.get('username');
    const found = await client.credential(credential, { url: `${protocol}://${host}`, ...(username === undefined ? {} : { username }) }, reason);
    process.stdout.write(attribute('username', found.username) + attribute('password', found.password));
  },
};
