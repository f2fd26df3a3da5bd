/**
 * The destination in an SSH signature's audit row (docs/security.md §12, attack 105): the engine
 * verifies session-bind@openssh.com itself, since the agent process that forwards it runs as the
 * agent. A real engine and endpoint; the "server" is a host key signing a session id as sshd does.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/core/endpoint/ssh-routes.js';
import { generateEd25519, parseSshPrivateKey, signSsh } from '../../src/core/ssh/ssh-key.js';
import { sshString } from '../../src/core/ssh/ssh-wire.js';
import { AgentClient } from '../helpers/agent-client.js';
import { enrolledToken, openEndpointFixture, type EndpointFixture } from '../core/endpoint/endpoint-fixture.js';

let fx: EndpointFixture;
let agent: AgentClient;
let token = '';
let publicKey = '';
const server = parseSshPrivateKey(generateEd25519('host'));
const impostor = parseSshPrivateKey(generateEd25519('impostor'));

beforeAll(async () => {
  fx = await openEndpointFixture();
  agent = await AgentClient.create(fx.tcp);
  await fx.t.admin.createEntry({ grant: fx.t.grant, vaultId: fx.accounting.id, entry: { title: 'Deploy', kind: 'ssh_key', fields: { sshPrivateKey: generateEd25519('deploy') } } });
  ({ accessToken: token } = await enrolledToken(fx, agent, { actions: ['use'] }));
  const keys = await agent.call('GET', '/v1/ssh/keys', { token });
  publicKey = ((keys.body.keys as { publicKey: string }[])[0]?.publicKey ?? '').split(' ')[1] ?? '';
});
afterAll(() => fx.close());

/** What ssh asks its agent to sign: a public-key user-auth request for `sessionId`. */
function userauth(sessionId: Buffer, user = 'deploy'): Buffer {
  return Buffer.concat([sshString(sessionId), Buffer.from([50]), sshString(user), sshString('ssh-connection'), sshString('publickey'), Buffer.from([1])]);
}

function sign(data: Buffer, bind?: { hostKey: Buffer; sessionId: Buffer; signature: Buffer }) {
  const b64 = (x: Buffer) => x.toString('base64');
  const json = { publicKey, data: b64(data), flags: 0, reason: 'deploy 3.4', ...(bind === undefined ? {} : { bind: { hostKey: b64(bind.hostKey), sessionId: b64(bind.sessionId), signature: b64(bind.signature) } }) };
  return agent.call('POST', '/v1/ssh/sign', { token, json });
}

const signRows = async () => (await fx.auditRows('secret.use')).filter((r) => r.detail?.purpose === 'ssh-sign');

describe('the destination of an SSH signature', () => {
  it('a verified binding puts the server\'s host key fingerprint and the user name in the row', async () => {
    const sessionId = randomBytes(32);
    const res = await sign(userauth(sessionId), { hostKey: server.blob, sessionId, signature: signSsh(server, sessionId, 0) });
    expect(res.status, res.text).toBe(200);
    const row = (await signRows()).find((r) => r.outcome === 'allowed');
    expect(row?.detail).toMatchObject({ hostKey: fingerprint(server.blob), user: 'deploy', key: fingerprint(Buffer.from(publicKey, 'base64')) });
  });

  it('without a binding (an older ssh, or a bind the agent could not verify) it signs, and the row names no host', async () => {
    const res = await sign(userauth(randomBytes(32)));
    expect(res.status, res.text).toBe(200);
    const rows = (await signRows()).filter((r) => r.outcome === 'allowed');
    expect(rows.some((r) => r.detail?.hostKey === undefined)).toBe(true);
  });

  it('attack 105: a forged destination (another key\'s signature, or a real binding replayed for another session) → 400 invalid_request, audited, no signature', async () => {
    const sessionId = randomBytes(32);
    const forged = await sign(userauth(sessionId), { hostKey: server.blob, sessionId, signature: signSsh(impostor, sessionId, 0) });
    const otherSession = randomBytes(32);
    const replayed = await sign(userauth(otherSession), { hostKey: server.blob, sessionId, signature: signSsh(server, sessionId, 0) });
    for (const res of [forged, replayed]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_request');
      expect(res.body.signature).toBeUndefined();
    }
    const refused = (await signRows()).filter((r) => r.outcome === 'refused');
    expect(refused.map((r) => r.errorCode)).toEqual(['invalid_request', 'invalid_request']);
    expect(refused.every((r) => r.detail?.hostKey === undefined)).toBe(true);
  });
});
