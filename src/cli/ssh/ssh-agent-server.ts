/**
 * The SSH agent protocol (draft-miller-ssh-agent) on a Unix socket, holding no private key: it
 * lists the keys the engine says the token reaches and forwards each signature request to the
 * engine. REQUEST_IDENTITIES (11) → IDENTITIES_ANSWER (12), SIGN_REQUEST (13) → SIGN_RESPONSE (14),
 * EXTENSION (27) session-bind@openssh.com → SUCCESS (6); anything else, or any refusal, FAILURE (5).
 */
import { createPublicKey, verify } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { SshReader, sshString, sshUint32 } from '../../core/ssh/ssh-wire.js';

export const MSG = { failure: 5, success: 6, requestIdentities: 11, identitiesAnswer: 12, signRequest: 13, signResponse: 14, extension: 27 } as const;
const MAX_MESSAGE = 256 * 1024;

/** What the agent asks of the engine; failures are reported through `onError`, never to the client. */
export interface SshSigner {
  keys(): Promise<readonly { readonly publicKey: string; readonly ref: string }[]>;
  sign(request: { readonly publicKey: string; readonly data: string; readonly flags: number; readonly hostKey?: string }): Promise<string>;
  onError(e: unknown): void;
}

/** One client connection: the host key it bound (session-bind), so signatures are audited with the destination. */
interface Connection {
  readonly binds: { sessionId: Buffer; hostKey: Buffer }[];
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
    const bound = connection.binds.find((b) => startsWithSession(data, b.sessionId));
    const signature = await signer.sign({
      publicKey: blob.toString('base64'),
      data: data.toString('base64'),
      flags,
      ...(bound === undefined ? {} : { hostKey: bound.hostKey.toString('base64') }),
    });
    return Buffer.concat([Buffer.from([MSG.signResponse]), sshString(Buffer.from(signature, 'base64'))]);
  }
  if (type === MSG.extension && r.text() === 'session-bind@openssh.com') return sessionBind(r, connection);
  return Buffer.from([MSG.failure]);
}

/**
 * The SSH client proves which server it is talking to: the server's signature over the session
 * id. Checked for Ed25519 host keys; others are accepted but not recorded as a destination.
 */
function sessionBind(r: SshReader, connection: Connection): Buffer {
  const hostKey = r.string();
  const sessionId = r.string();
  const signature = r.string();
  const key = new SshReader(hostKey);
  if (key.text() !== 'ssh-ed25519') return Buffer.from([MSG.success]);
  const raw = key.string();
  const sig = new SshReader(signature);
  if (sig.text() !== 'ssh-ed25519') return Buffer.from([MSG.failure]);
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
  if (!verify(null, sessionId, publicKey, sig.string())) return Buffer.from([MSG.failure]);
  connection.binds.push({ sessionId, hostKey });
  return Buffer.from([MSG.success]);
}

/** A user-auth request starts with the session id as an SSH string. */
function startsWithSession(data: Buffer, sessionId: Buffer): boolean {
  const prefix = sshString(sessionId);
  return data.length >= prefix.length && data.subarray(0, prefix.length).equals(prefix);
}
