/**
 * One Secret Service item read over the session bus in JavaScript: connect, authenticate, then
 * Hello, OpenSession("plain") and SearchItems sent together, and the item's GetSecret. Why not
 * only @napi-rs/keyring: its read connects through libdbus synchronously, negotiates a
 * Diffie-Hellman session and starts a thread pool, ~10 ms of every agent command that keeps its key
 * in the keychain (bench/results.md). This reads the common case (one unlocked item) in a few
 * round trips and hands every other case (a locked collection to unlock, several matches, a bus
 * or service that answers unexpectedly) back to the library, which already handles them.
 *
 * The "plain" algorithm carries the value unencrypted over the bus socket. That protects nothing
 * less against the attacker this project models (docs/security.md, "Threat model"): only the same
 * user can watch their session bus, and that user can ask the Secret Service for the item outright.
 */
import net from 'node:net';
import { VkError } from '../../shared/errors.js';
import { authIdentity, sessionBusSocket } from './dbus-probe.js';
import { asArray, decodeMessage, encodeMethodCall, MESSAGE, WireFormatError, type Message, type MethodCall, type WireValue, type WireWriter } from './dbus-wire.js';

export type SecretLookup =
  | { readonly kind: 'found'; readonly value: string }
  | { readonly kind: 'absent' }
  /** Something this reader leaves to the library: a locked item, several matches, an unexpected answer. */
  | { readonly kind: 'ask-library' };

const SECRETS = 'org.freedesktop.secrets';
const SERVICE_PATH = '/org/freedesktop/secrets';
const ASK_LIBRARY: SecretLookup = { kind: 'ask-library' };

/**
 * A keychain item's text, or null when there is none: read here where a session bus is named,
 * and by `library` (the store's own @napi-rs/keyring call) everywhere else and whenever this
 * reader hands over. The stores' one way to read an item.
 */
export async function readKeychainItem(service: string, account: string, timeoutMs: number, library: () => Promise<string | null>): Promise<string | null> {
  const socketPath = process.platform === 'darwin' || process.platform === 'win32' ? undefined : sessionBusSocket(process.env);
  if (socketPath !== undefined) {
    const found = await lookupSecret(socketPath, { service, username: account }, timeoutMs);
    if (found.kind === 'found') return found.value;
    if (found.kind === 'absent') return null;
  }
  return library();
}

/**
 * The item whose attributes are exactly these (the library's search: service and username).
 * A bus that cannot be reached or stays silent past the deadline is keychain_unavailable.
 */
export async function lookupSecret(socketPath: string, attributes: Readonly<Record<string, string>>, timeoutMs: number): Promise<SecretLookup> {
  const bus = await BusConnection.open(socketPath, timeoutMs);
  if (bus === undefined) return ASK_LIBRARY;
  try {
    bus.send(
      { serial: 1, destination: 'org.freedesktop.DBus', path: '/org/freedesktop/DBus', iface: 'org.freedesktop.DBus', member: 'Hello' },
      { ...toService('OpenSession', 2), body: { signature: 'sv', write: (w) => { w.string('plain'); w.signature('s'); w.string(''); } } },
      { ...toService('SearchItems', 3), body: { signature: 'a{ss}', write: (w) => w.array(8, () => writeDict(w, attributes)) } },
    );
    const [opened, found] = await Promise.all([bus.reply(2, 'vo'), bus.reply(3, 'aoao')]);
    const session = opened[1];
    const unlocked = asArray(found[0]);
    const locked = asArray(found[1]);
    if (unlocked.length + locked.length === 0) return { kind: 'absent' };
    const item = unlocked[0];
    if (unlocked.length !== 1 || locked.length !== 0 || typeof item !== 'string' || typeof session !== 'string') return ASK_LIBRARY;
    bus.send({ serial: 4, destination: SECRETS, path: item, iface: 'org.freedesktop.Secret.Item', member: 'GetSecret', body: { signature: 'o', write: (w) => w.string(session) } });
    const [secret] = await bus.reply(4, '(oayays)');
    return decodeSecret(asArray(secret));
  } catch (e) {
    if (e instanceof VkError) throw e;
    return ASK_LIBRARY;
  } finally {
    bus.close();
  }
}

function toService(member: string, serial: number): Omit<MethodCall, 'body'> {
  return { serial, destination: SECRETS, path: SERVICE_PATH, iface: 'org.freedesktop.Secret.Service', member };
}

function writeDict(w: WireWriter, entries: Readonly<Record<string, string>>): void {
  for (const [key, value] of Object.entries(entries)) {
    w.align(8);
    w.string(key);
    w.string(value);
  }
}

/** (session, parameters, value, content type): a plain session has no parameters; the library stores UTF-8 text. */
function decodeSecret([, parameters, value]: readonly WireValue[]): SecretLookup {
  if (!(parameters instanceof Uint8Array) || parameters.length !== 0 || !(value instanceof Uint8Array)) return ASK_LIBRARY;
  try {
    return { kind: 'found', value: new TextDecoder('utf-8', { fatal: true }).decode(value) };
  } catch {
    return ASK_LIBRARY; // not text: the library reports it as it would
  } finally {
    value.fill(0);
  }
}

/** A session-bus connection that waits for replies by serial, all under one deadline. */
class BusConnection {
  readonly #socket: net.Socket;
  readonly #replies = new Map<number, Message>();
  readonly #waiting = new Map<number, () => void>();
  #pending: Buffer = Buffer.alloc(0);
  #failure: Error | undefined;
  readonly #timer: NodeJS.Timeout;

  private constructor(socket: net.Socket, timeoutMs: number) {
    this.#socket = socket;
    this.#timer = setTimeout(() => this.#fail(new VkError('keychain_unavailable')), timeoutMs);
    socket.on('data', (chunk: Buffer) => this.#receive(chunk));
    socket.on('error', () => this.#fail(new WireFormatError('the bus connection failed')));
    socket.on('close', () => this.#fail(new WireFormatError('the bus closed the connection')));
  }

  /**
   * Connected and authenticated (SASL EXTERNAL, D-Bus Specification "Authentication Protocol").
   * Undefined when the bus answered but refused us: the library then decides. No answer at all
   * (no socket, refused, silent) is keychain_unavailable.
   */
  static open(socketPath: string, timeoutMs: number): Promise<BusConnection | undefined> {
    const deadline = Date.now() + timeoutMs;
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ path: socketPath });
      let line = '';
      const fail = (): void => {
        clearTimeout(timer);
        socket.destroy();
        reject(new VkError('keychain_unavailable'));
      };
      const timer = setTimeout(fail, timeoutMs);
      const onData = (chunk: Buffer): void => {
        line += chunk.toString('latin1');
        if (!line.includes('\r\n')) return;
        clearTimeout(timer);
        socket.off('data', onData).off('error', fail).off('close', fail);
        if (!line.startsWith('OK ')) {
          socket.destroy();
          resolve(undefined);
          return;
        }
        socket.write('BEGIN\r\n');
        resolve(new BusConnection(socket, Math.max(0, deadline - Date.now())));
      };
      socket.once('connect', () => socket.write(`\0AUTH EXTERNAL ${authIdentity()}\r\n`));
      socket.on('data', onData).on('error', fail).on('close', fail);
    });
  }

  send(...calls: MethodCall[]): void {
    this.#socket.write(Buffer.concat(calls.map(encodeMethodCall)));
  }

  /** The body of the reply to `serial`; an error reply or another signature throws. */
  async reply(serial: number, signature: string): Promise<readonly WireValue[]> {
    while (!this.#replies.has(serial)) {
      if (this.#failure !== undefined) throw this.#failure;
      await new Promise<void>((resolve) => this.#waiting.set(serial, resolve));
    }
    const message = this.#replies.get(serial);
    if (message?.type !== MESSAGE.methodReturn || message.signature !== signature) throw new WireFormatError(`unexpected answer: ${message?.errorName ?? message?.signature ?? ''}`);
    return message.body;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
    try {
      for (let next = decodeMessage(this.#pending); next !== undefined; next = decodeMessage(this.#pending)) {
        this.#pending = this.#pending.subarray(next.size);
        const { message } = next;
        // Signals (NameAcquired after Hello) and anything not answering us are skipped.
        if ((message.type === MESSAGE.methodReturn || message.type === MESSAGE.error) && message.replySerial !== undefined) {
          this.#replies.set(message.replySerial, message);
          this.#wake(message.replySerial);
        }
      }
    } catch (e) {
      this.#fail(e instanceof Error ? e : new WireFormatError('malformed D-Bus message'));
    }
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    this.#socket.destroy();
    for (const serial of [...this.#waiting.keys()]) this.#wake(serial);
  }

  #wake(serial: number): void {
    const resolve = this.#waiting.get(serial);
    this.#waiting.delete(serial);
    resolve?.();
  }
}
