/**
 * Where the CLI keeps an agent's secrets (its DPoP private key and access token): the OS keychain
 * when there is one, else a 0600 file in a 0700 directory under the data directory. Both are
 * stores of the agent client (sdk/js/src/key-file.ts, whose key file is the SDK's); which one a
 * profile uses is recorded in its profile file (agent-profile.ts), and `valetkey login` says which
 * it chose.
 *
 * The keychain entry is pinned to the Secret Service on Linux, as the engine's own keys are
 * (src/core/keys/keychain-key-store.ts explains why: the unpinned library silently falls back to
 * the kernel keyring, which forgets at reboot). The bus is probed first so a silent bus cannot
 * freeze the CLI.
 */
import { createHash } from 'node:crypto';
import type { AsyncEntry, EntryOptions } from '@napi-rs/keyring';
import type { PrivateJwk } from '../../../sdk/js/src/dpop-key.js';
import type { SecretStore } from '../../../sdk/js/src/key-file.js';
import { isVkError, VkError } from '../../shared/errors.js';
import { readKeychainItem } from '../../core/keys/secret-service-lookup.js';

export interface AgentSecrets {
  readonly accessToken: string;
  /** Ed25519 private JWK; null for a bearer token. */
  readonly privateJwk: PrivateJwk | null;
}

export type SecretStoreKind = 'keychain' | 'file';

/** The agent client's store interface, for this CLI's two places. */
export interface AgentSecretStore extends SecretStore<AgentSecrets> {
  readonly kind: SecretStoreKind;
}

const SERVICE = 'valetkey-agent';
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };
const TIMEOUT_MS = 10_000;

/** One item per data directory and profile, so two engines (or tests) never share an agent's key. */
export function keychainAccount(dataDir: string, profile: string): string {
  return `${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}:${profile}`;
}

/** False when no Secret Service can be reached (a bare server, a container without D-Bus). */
export async function keychainReachable(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const { probeSessionBus, sessionBusSocket, nativeKeyring } = await keychainParts();
  if (process.platform === 'linux' && sessionBusSocket(env) === undefined) return false;
  try {
    await probeSessionBus(env, TIMEOUT_MS);
    await withDeadline(new (nativeKeyring().AsyncEntry)(SERVICE, 'probe', ENTRY_OPTIONS).getPassword(AbortSignal.timeout(TIMEOUT_MS)));
    return true;
  } catch {
    return false;
  }
}

export class KeychainSecretStore implements AgentSecretStore {
  readonly kind = 'keychain' as const;

  constructor(private readonly account: string) {}

  async save(secrets: AgentSecrets): Promise<void> {
    await this.call((entry, signal) => entry.setPassword(JSON.stringify(secrets), signal));
  }

  async load(): Promise<AgentSecrets | undefined> {
    const text = await readKeychainItem(SERVICE, this.account, TIMEOUT_MS, () => this.call((entry, signal) => entry.getPassword(signal)));
    return text === null || text === undefined ? undefined : parseSecrets(text);
  }

  async forget(): Promise<void> {
    await this.call((entry, signal) => entry.deletePassword(signal));
  }

  /** Every failure, whatever the library says, is keychain_unavailable (its message is never shown). */
  private async call<T>(run: (entry: AsyncEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      const { probeSessionBus, nativeKeyring } = await keychainParts();
      // The native module loads (milliseconds, synchronously) while the bus answers the probe.
      const reachable = probeSessionBus(process.env, TIMEOUT_MS);
      reachable.catch(() => undefined); // awaited just below; this only keeps a failed load from leaving it unhandled
      const keyring = nativeKeyring();
      await reachable;
      return await withDeadline(run(new keyring.AsyncEntry(SERVICE, this.account, ENTRY_OPTIONS), AbortSignal.timeout(TIMEOUT_MS)));
    } catch (e) {
      throw isVkError(e) ? e : new VkError('keychain_unavailable');
    }
  }
}

/** Loaded when a keychain is first asked: an agent whose key is in a file (and whoami) never needs them. */
async function keychainParts(): Promise<typeof import('../../core/keys/dbus-probe.js') & typeof import('../../core/keys/native-keyring.js')> {
  const [bus, keyring] = await Promise.all([import('../../core/keys/dbus-probe.js'), import('../../core/keys/native-keyring.js')]);
  return { ...bus, ...keyring };
}

export function parseSecrets(text: string): AgentSecrets | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<AgentSecrets>;
    if (typeof parsed.accessToken !== 'string') return undefined;
    return { accessToken: parsed.accessToken, privateJwk: typeof parsed.privateJwk === 'object' && parsed.privateJwk !== null ? parsed.privateJwk : null };
  } catch {
    return undefined;
  }
}

function withDeadline<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VkError('keychain_unavailable')), TIMEOUT_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
