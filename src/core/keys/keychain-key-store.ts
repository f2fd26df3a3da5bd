/**
 * Keys in the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux),
 * as two items: `${account}:master` and `${account}:signing`, each 'vk1:' + base64, and a third,
 * `${account}:mark`, holding the engine's high-water mark (not a secret, but out of the agent's reach).
 *
 * Why `AsyncEntry` pinned to the Secret Service rather than the keytar-style wrapper
 * (`@napi-rs/keyring/keytar`): that wrapper cannot pass options, and on Linux the library then
 * silently falls back to the kernel keyring, which forgets everything at reboot (key loss), and
 * its getPassword answers null instead of failing when no keychain is reachable (measured), which
 * would read as key_missing. Pinned, an unreachable Secret Service is an error we can report.
 * Any failure to reach the keychain is keychain_unavailable: never a plaintext fallback.
 */
import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import { nativeKeyring } from './native-keyring.js';
import { isVkError, VkError } from '../../shared/errors.js';
import { asMasterKey, asSigningSeed, KEY_BYTES, wipe } from '../crypto/types.js';
import { fromBase64, toBase64 } from './base64.js';
import { probeSessionBus } from './dbus-probe.js';
import { readKeychainItem } from './secret-service-lookup.js';
import type { EngineKeys, KeyStore } from './key-store.js';
import type { MarkSlot } from '../integrity/high-water-mark.js';

export interface KeychainKeyStoreOptions {
  /** Names this installation's items; one data directory, one account. */
  readonly account: string;
  /** Keychain service name; default 'valetkey'. */
  readonly service?: string;
  /** Deadline for each keychain call; default 10 s. A locked keychain's unlock prompt counts against it. */
  readonly timeoutMs?: number;
}

type Slot = 'master' | 'signing' | 'mark';

const PREFIX = 'vk1:';
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };
const DEFAULT_TIMEOUT_MS = 10_000;

export class KeychainKeyStore implements KeyStore {
  readonly kind = 'keychain' as const;
  readonly #service: string;
  readonly #account: string;
  readonly #timeoutMs: number;
  readonly mark: MarkSlot = {
    read: () => this.#get('mark'),
    write: (value) => this.#call('mark', (entry, signal) => entry.setPassword(value, signal)),
  };

  constructor(options: KeychainKeyStoreOptions) {
    this.#account = options.account;
    this.#service = options.service ?? 'valetkey';
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async exists(): Promise<boolean> {
    return (await this.#get('master')) !== null || (await this.#get('signing')) !== null;
  }

  async create(keys: EngineKeys): Promise<void> {
    if (await this.exists()) throw new VkError('already_initialized');
    await this.#write(keys);
  }

  async load(): Promise<EngineKeys> {
    const master = decodeItem(await this.#get('master'));
    const signing = decodeItem(await this.#get('signing'));
    if (master === undefined || signing === undefined) {
      wipe(master);
      wipe(signing);
      throw new VkError('key_missing');
    }
    return { master: asMasterKey(master), signing: asSigningSeed(signing) };
  }

  /** Two items cannot be replaced atomically; a failure between them leaves a mix, so the caller retries the restore. */
  async replace(keys: EngineKeys): Promise<void> {
    await this.#write(keys);
  }

  async destroy(): Promise<void> {
    await this.#call('master', (entry, signal) => entry.deletePassword(signal));
    await this.#call('signing', (entry, signal) => entry.deletePassword(signal));
    // Most stores have written a mark; one that never started has none to delete.
    await this.#call('mark', (entry, signal) => entry.deletePassword(signal)).catch(() => undefined);
  }

  async #write(keys: EngineKeys): Promise<void> {
    await this.#call('master', (entry, signal) => entry.setPassword(PREFIX + toBase64(keys.master), signal));
    await this.#call('signing', (entry, signal) => entry.setPassword(PREFIX + toBase64(keys.signing), signal));
  }

  #get(slot: Slot): Promise<string | null> {
    return readKeychainItem(this.#service, `${this.#account}:${slot}`, this.#timeoutMs, () => this.#call(slot, (entry, signal) => entry.getPassword(signal)));
  }

  #call<T>(slot: Slot, run: (entry: AsyncEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
    return keychainCall(this.#service, `${this.#account}:${slot}`, this.#timeoutMs, run);
  }
}

/** One keychain call under the deadline; every failure, whatever the library says, becomes keychain_unavailable. */
export async function keychainCall<T>(service: string, account: string, timeoutMs: number, run: (entry: AsyncEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
  await probeSessionBus(process.env, timeoutMs);
  const signal = AbortSignal.timeout(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VkError('keychain_unavailable')), timeoutMs);
  });
  try {
    const entry = new (nativeKeyring().AsyncEntry)(service, account, ENTRY_OPTIONS);
    return await Promise.race([run(entry, signal), deadline]);
  } catch (e) {
    // The library's message may name the item; it never holds the secret, but we report only our code.
    throw isVkError(e) ? e : new VkError('keychain_unavailable');
  } finally {
    clearTimeout(timer);
  }
}

/** Key bytes from a stored item; undefined when absent or not ours (a malformed item is as good as missing). */
function decodeItem(item: string | null): Uint8Array | undefined {
  if (item === null || !item.startsWith(PREFIX)) return undefined;
  const bytes = fromBase64(item.slice(PREFIX.length));
  if (bytes?.length === KEY_BYTES) return bytes;
  wipe(bytes);
  return undefined;
}
