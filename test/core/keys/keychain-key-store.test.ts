/**
 * Against the real Secret Service. Run under:
 *   dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets; npx vitest run ...'
 * Without a D-Bus session these tests skip, unless VALETKEY_REQUIRE_KEYCHAIN=1 makes that a failure.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { AsyncEntry } from '@napi-rs/keyring';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../../src/core/crypto/sodium.js';
import { KeychainKeyStore } from '../../../src/core/keys/keychain-key-store.js';
import { generateEngineKeys } from '../../../src/core/keys/key-store.js';

const SERVICE = 'valetkey-test';
const hasBus = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']);
const required = process.env['VALETKEY_REQUIRE_KEYCHAIN'] === '1';
if (!hasBus && !required) {
  console.warn('keychain-key-store.test.ts SKIPPED: DBUS_SESSION_BUS_ADDRESS is unset, so there is no Secret Service to test against. '
    + "Run under `dbus-run-session -- sh -c 'echo -n pw | gnome-keyring-daemon --unlock --components=secrets; npx vitest run ...'`, "
    + 'or set VALETKEY_REQUIRE_KEYCHAIN=1 to make this a failure.');
}

/** What the Secret Service itself holds for an item, read with libsecret's own tool. */
function secretToolSearch(username: string): string {
  return execFileSync('secret-tool', ['search', '--all', 'service', SERVICE, 'username', username], {
    encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function storedSecret(username: string): string | undefined {
  return /^secret = (.*)$/m.exec(secretToolSearch(username))?.[1];
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

describe.skipIf(!hasBus && !required)('KeychainKeyStore against the real Secret Service', () => {
  const accounts: string[] = [];
  function newStore(): { store: KeychainKeyStore; account: string } {
    const account = `test-${randomUUID()}`;
    accounts.push(account);
    return { store: new KeychainKeyStore({ account, service: SERVICE }), account };
  }

  beforeAll(async () => { await loadSodium(); });
  afterEach(async () => {
    for (const account of accounts.splice(0)) await new KeychainKeyStore({ account, service: SERVICE }).destroy();
  });

  it('has a D-Bus session to talk to', () => {
    expect(hasBus, 'VALETKEY_REQUIRE_KEYCHAIN=1 but DBUS_SESSION_BUS_ADDRESS is unset').toBe(true);
  });

  it('create → load round trip; the items really are in the Secret Service', async () => {
    const { store, account } = newStore();
    expect(store.kind).toBe('keychain');
    expect(await store.exists()).toBe(false);
    const keys = generateEngineKeys();
    await store.create(keys);
    expect(await store.exists()).toBe(true);
    const loaded = await store.load();
    expect(b64(loaded.master)).toBe(b64(keys.master));
    expect(b64(loaded.signing)).toBe(b64(keys.signing));
    expect(storedSecret(`${account}:master`)).toBe(`vk1:${b64(keys.master)}`);
    expect(storedSecret(`${account}:signing`)).toBe(`vk1:${b64(keys.signing)}`);
  });

  it('create refuses to overwrite existing keys; replace swaps them', async () => {
    const { store, account } = newStore();
    const first = generateEngineKeys();
    await store.create(first);
    await expect(store.create(generateEngineKeys())).rejects.toMatchObject({ code: 'already_initialized' });
    expect(b64((await store.load()).master)).toBe(b64(first.master));
    const next = generateEngineKeys();
    await store.replace(next);
    expect(b64((await store.load()).signing)).toBe(b64(next.signing));
    expect(storedSecret(`${account}:master`)).toBe(`vk1:${b64(next.master)}`);
  });

  it('destroy removes both items from the Secret Service', async () => {
    const { store, account } = newStore();
    await store.create(generateEngineKeys());
    await store.destroy();
    expect(await store.exists()).toBe(false);
    expect(secretToolSearch(`${account}:master`)).toBe('');
    expect(secretToolSearch(`${account}:signing`)).toBe('');
    await expect(store.load()).rejects.toMatchObject({ code: 'key_missing' });
    await store.destroy(); // destroying nothing is fine
  });

  it('an unknown account is key_missing', async () => {
    await expect(newStore().store.load()).rejects.toMatchObject({ code: 'key_missing' });
  });

  it('a malformed or half-present item is key_missing', async () => {
    const { store, account } = newStore();
    const options = { linux: { store: 'secret-service' as const } };
    await new AsyncEntry(SERVICE, `${account}:master`, options).setPassword(`vk1:${b64(generateEngineKeys().master)}`);
    expect(await store.exists()).toBe(true);
    await expect(store.load()).rejects.toMatchObject({ code: 'key_missing' });
    for (const bad of ['garbage', 'vk1:not*base64', `vk1:${b64(new Uint8Array(16))}`, b64(new Uint8Array(32))]) {
      await new AsyncEntry(SERVICE, `${account}:signing`, options).setPassword(bad);
      await expect(store.load()).rejects.toMatchObject({ code: 'key_missing' });
    }
  });
});
