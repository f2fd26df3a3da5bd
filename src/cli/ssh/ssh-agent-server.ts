/**
 * The SSH agent protocol (draft-miller-ssh-agent) on a Unix socket, holding no private key: it
 * lists the keys the engine says the token reaches and forwards each signature request to the
 * engine. REQUEST_IDENTITIES (11) → IDENTITIES_ANSWER (12), SIGN_REQUEST (13) → SIGN_RESPONSE (14),
 * EXTENSION (27) session-bind@openssh.com → SUCCESS (6); anything else, or any refusal, FAILURE (5).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { MAX_BINDS, readSessionBind, signsForSession, verifySessionBind, type SessionBind } from '../../core/ssh/session-bind.js';
import { SshReader, sshString, sshUint32 } from '../../core/ssh/ssh-wire.js';
import type { SshSignRequest } from '../../../sdk/js/src/agent-client.js';

export const MSG = { failure: 5, success: 6, requestIdentities: 11, identitiesAnswer: 12, signRequest: 13, signResponse: 14, extension: 27 } as const;
const MAX_MESSAGE = 256 * 1024;

/** What the agent asks of the engine; failures are reported through `onError`, never to the client. */
export interface SshSigner {
  keys(): Promise<readonly { readonly publicKey: string; readonly ref: string }[]>;
  sign(request: SshSignRequest): Promise<string>;
  onError(e: unknown): void;
}

/** One client connection: the sessions it bound (session-bind), so signatures are audited with the destination. */
interface Connection {
  readonly binds: SessionBind[];
}

export function createSshAgentServer(signer: SshSigner): Server {
  return createServer((socket) => serveConnection(socket, signer));
}

function serveConnection(socket: Socket, signer: SshSigner): void {
  const connection: Connection = { binds: [] };
  let pending = Buffer.alloc(0);
  let queue = Promise.resolve();
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 4) {
      const length = pending.readUInt32BE(0);
      if (length === 0 || length > MAX_MESSAGE) return void socket.destroy();
      if (pending.length < 4 + length) break;
      const message = pending.subarray(4, 4 + length);
      pending = pending.subarray(4 + length);
      // Answers go back in request order, as the protocol requires.
      queue = queue.then(async () => {
        const answer = await answerMessage(message, connection, signer).catch((e: unknown) => {
          signer.onError(e);
          return Buffer.from([MSG.failure]);
        });
        if (!socket.destroyed) socket.write(Buffer.concat([sshUint32(answer.length), answer]));
      });
    }
  });
}

async function answerMessage(message: Buffer, connection: Connection, signer: SshSigner): Promise<Buffer> {
  const r = new SshReader(message);
  const type = r.byte();
  if (type === MSG.requestIdentities) {
    const keys = await signer.keys();
    const entries = keys.map((k) => Buffer.concat([sshString(Buffer.from(k.publicKey.split(' ')[1] ?? '', 'base64')), sshString(k.ref)]));
    return Buffer.concat([Buffer.from([MSG.identitiesAnswer]), sshUint32(keys.length), ...entries]);
  }
  if (type === MSG.signRequest) {
    const blob = r.string();
    const data = r.string();
    const flags = r.uint32();
    const bound = connection.binds.findLast((b) => signsForSession(data, b.sessionId));
    const signature = await signer.sign({
      publicKey: blob.toString('base64'),
      data: data.toString('base64'),
      flags,
      ...(bound === undefined ? {} : { bind: { hostKey: bound.hostKey.toString('base64'), sessionId: bound.sessionId.toString('base64'), signature: bound.signature.toString('base64') } }),
    });
    return Buffer.concat([Buffer.from([MSG.signResponse]), sshString(Buffer.from(signature, 'base64'))]);
  }
  if (type === MSG.extension && r.text() === 'session-bind@openssh.com') return sessionBind(r, connection);
  return Buffer.from([MSG.failure]);
}

/**
 * The SSH client proves which server it is talking to. As OpenSSH's ssh-agent does: a bind that
 * does not verify, that reuses a session id with another key, that follows a bind made for
 * authentication, or one past 16, is answered FAILURE and recorded nowhere; signatures still work
 * (Valetkey keys carry no destination constraint), audited without a destination.
 */
function sessionBind(r: SshReader, connection: Connection): Buffer {
  const failure = Buffer.from([MSG.failure]);
  const bind = readSessionBind(r);
  if (!verifySessionBind(bind)) return failure;
  for (const known of connection.binds) {
    if (!known.forwarding) return failure;
    if (known.sessionId.equals(bind.sessionId)) return known.hostKey.equals(bind.hostKey) ? Buffer.from([MSG.success]) : failure;
  }
  if (connection.binds.length >= MAX_BINDS) return failure;
  connection.binds.push(bind);
  return Buffer.from([MSG.success]);
}
