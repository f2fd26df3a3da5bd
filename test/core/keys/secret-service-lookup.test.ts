/**
 * The JavaScript Secret Service read: against the real gnome-keyring it reads exactly what
 * @napi-rs/keyring stored, and against buses that misbehave it either says keychain_unavailable
 * (nothing answers) or hands the case back to the library, never hangs and never guesses.
 * The real-keyring cases need a D-Bus session (see keychain-key-store.test.ts for how to run them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionBusSocket } from '../../../src/core/keys/dbus-probe.js';
import { decodeMessage, MESSAGE } from '../../../src/core/keys/dbus-wire.js';
import { lookupSecret, readKeychainItem } from '../../../src/core/keys/secret-service-lookup.js';
import { isVkError } from '../../../src/shared/errors.js';
import { replyMessage } from './fixtures/dbus-reply.js';

const SERVICE = 'valetkey-test-lookup';
const hasBus = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']);
const required = process.env['VALETKEY_REQUIRE_KEYCHAIN'] === '1';
if (!hasBus && !required) console.warn('secret-service-lookup.test.ts: real Secret Service cases SKIPPED (no DBUS_SESSION_BUS_ADDRESS).');

const entry = (username: string) => new AsyncEntry(SERVICE, username, { linux: { store: 'secret-service' } });

describe.skipIf(!hasBus && !required)('lookupSecret against the real Secret Service', () => {
  const usernames: string[] = [];
  const newUsername = (): string => {
    const name = `lookup-${randomUUID()}`;
    usernames.push(name);
    return name;
  };
  afterEach(async () => {
    for (const name of usernames.splice(0)) {
      // Every item of the search, however many (secret-tool exits 1 when there was none).
      spawnSync('secret-tool', ['clear', 'service', SERVICE, 'username', name]);
    }
  });

  it('reads what the keyring library stored, byte for byte, and the library reads it the same', async () => {
    const username = newUsername();
    const value = JSON.stringify({ accessToken: 'eyJ.x.y', note: 'ünïcødé ✓ 🔑', nl: 'a\nb' });
    await entry(username).setPassword(value);
    const socket = sessionBusSocket(process.env);
    expect(socket).toBeDefined();
    expect(await lookupSecret(socket!, { service: SERVICE, username }, 5000)).toEqual({ kind: 'found', value });
    expect(await entry(username).getPassword()).toBe(value);
  });

  it('an item that is not there is absent (the library says null too)', async () => {
    const username = newUsername();
    expect(await lookupSecret(sessionBusSocket(process.env)!, { service: SERVICE, username }, 5000)).toEqual({ kind: 'absent' });
    expect(await readKeychainItem(SERVICE, username, 5000, () => Promise.reject(new Error('the library must not be asked')))).toBeNull();
    expect(await entry(username).getPassword()).toBeNull();
  });

  it('two items answering the same search go back to the library, which calls it ambiguous', async () => {
    const username = newUsername();
    await entry(username).setPassword('one');
    execFileSync('secret-tool', ['store', '--label', 'another', 'service', SERVICE, 'username', username, 'other', 'attribute'], { input: 'two' });
    expect(await lookupSecret(sessionBusSocket(process.env)!, { service: SERVICE, username }, 5000)).toEqual({ kind: 'ask-library' });
    let asked = false;
    await expect(readKeychainItem(SERVICE, username, 5000, () => { asked = true; return entry(username).getPassword(); })).rejects.toThrow();
    expect(asked).toBe(true);
  });
});

/** A stand-in bus on a socket in a temp dir, answering as `behave` says. */
describe('lookupSecret against buses that misbehave', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vk-fake-bus-'));
  const servers: net.Server[] = [];
  afterAll(() => {
    for (const s of servers) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function fakeBus(behave: (socket: net.Socket, data: Buffer) => void): Promise<string> {
    const socketPath = path.join(dir, `bus-${servers.length}`);
    const server = net.createServer((socket) => socket.on('data', (data) => behave(socket, data)).on('error', () => undefined));
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    return socketPath;
  }

  const ask = (socketPath: string, timeoutMs = 2000) => lookupSecret(socketPath, { service: SERVICE, username: 'x' }, timeoutMs);
  const unavailable = (e: unknown): boolean => isVkError(e) && e.code === 'keychain_unavailable';

  it('no socket at all is keychain_unavailable', async () => {
    await expect(ask(path.join(dir, 'nothing-here'))).rejects.toSatisfy(unavailable);
  });

  it('a bus that never answers is keychain_unavailable at the deadline, before or after authentication', async () => {
    const silent = await fakeBus(() => undefined);
    await expect(ask(silent, 300)).rejects.toSatisfy(unavailable);
    const silentAfterOk = await fakeBus((socket, data) => { if (data.includes('AUTH')) socket.write('OK 0123\r\n'); });
    await expect(ask(silentAfterOk, 300)).rejects.toSatisfy(unavailable);
  });

  it('a bus that refuses our authentication, or answers with garbage, is left to the library', async () => {
    expect(await ask(await fakeBus((socket) => socket.write('REJECTED EXTERNAL\r\n')))).toEqual({ kind: 'ask-library' });
    const garbage = await fakeBus((socket, data) => socket.write(data.includes('AUTH') ? 'OK 0123\r\n' : Buffer.alloc(64, 0x51)));
    expect(await ask(garbage)).toEqual({ kind: 'ask-library' });
    const hangsUp = await fakeBus((socket, data) => (data.includes('AUTH') ? socket.write('OK 0123\r\n') : socket.destroy()));
    expect(await ask(hangsUp)).toEqual({ kind: 'ask-library' });
  });

  it('a bus with no Secret Service on it (error replies) is left to the library', async () => {
    let pending = Buffer.alloc(0);
    const noService = await fakeBus((socket, data) => {
      if (data.includes('AUTH')) return void socket.write('OK 0123\r\n');
      pending = Buffer.concat([pending, data]);
      if (pending.subarray(0, 7).toString() === 'BEGIN\r\n') pending = pending.subarray(7);
      for (let next = decodeMessage(pending); next !== undefined; next = decodeMessage(pending)) {
        pending = pending.subarray(next.size);
        socket.write(replyMessage(next.message.serial, 's', (w) => w.string('not here'), MESSAGE.error, 'org.freedesktop.DBus.Error.ServiceUnknown'));
      }
    });
    expect(await ask(noService)).toEqual({ kind: 'ask-library' });
  });
});

beforeAll(() => {
  expect(hasBus || !required, 'VALETKEY_REQUIRE_KEYCHAIN=1 but DBUS_SESSION_BUS_ADDRESS is unset').toBe(true);
});
