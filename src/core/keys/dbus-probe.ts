/**
 * A bounded check that the D-Bus session bus answers, made before @napi-rs/keyring touches it.
 * Why: the keyring's constructor connects to the bus synchronously through libdbus, and libdbus
 * waits forever for a bus that accepts the connection but never speaks (measured: still blocked
 * after 120 s), freezing the whole engine. A timer cannot interrupt a blocked main thread, so we
 * first do the opening of the D-Bus handshake ourselves, asynchronously, with a deadline.
 */
import net from 'node:net';
import { VkError } from '../../shared/errors.js';

/** Where libdbus would connect, as a socket path (abstract sockets start with NUL); undefined when we cannot tell. */
export function sessionBusSocket(env: NodeJS.ProcessEnv): string | undefined {
  const address = env['DBUS_SESSION_BUS_ADDRESS'];
  if (address === undefined || address === '') {
    const runtime = env['XDG_RUNTIME_DIR'];
    return runtime ? `${runtime}/bus` : undefined;
  }
  // Several addresses may be listed (';'); libdbus tries the first one first, and so do we.
  const first = address.split(';')[0] ?? '';
  const colon = first.indexOf(':');
  if (first.slice(0, colon) !== 'unix') return undefined;
  const keys = new Map(first.slice(colon + 1).split(',').map((kv) => {
    const eq = kv.indexOf('=');
    return [kv.slice(0, eq), unescapeValue(kv.slice(eq + 1))] as const;
  }));
  const path = keys.get('path');
  if (path !== undefined) return path;
  const abstract = keys.get('abstract');
  return abstract !== undefined ? `\0${abstract}` : undefined;
}

function unescapeValue(value: string): string {
  return value.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Resolves once the bus answers the first line of the SASL handshake (any answer: OK or REJECTED
 * both prove it is alive; libdbus then fails or succeeds quickly on its own). No socket to probe
 * (another transport, or none configured) → resolves and leaves the verdict to the library.
 * Unreachable, silent or too slow → keychain_unavailable.
 */
export function probeSessionBus(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  const socketPath = sessionBusSocket(env);
  if (socketPath === undefined || process.platform === 'darwin' || process.platform === 'win32') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ path: socketPath });
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      if (ok) resolve();
      else reject(new VkError('keychain_unavailable'));
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => socket.write(`\0AUTH EXTERNAL ${authIdentity()}\r\n`));
    socket.once('data', () => finish(true));
    socket.once('error', () => finish(false));
    socket.once('close', () => finish(false));
  });
}

/** SASL EXTERNAL identity: the uid in decimal, hex-encoded (D-Bus specification, "AUTH command"). */
export function authIdentity(): string {
  const uid = process.getuid?.() ?? 0;
  return Buffer.from(String(uid), 'ascii').toString('hex');
}
