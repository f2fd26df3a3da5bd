/**
 * Agent profiles: several agents on one machine each log in under a name (`--profile`, default
 * `default`). A profile file `<data dir>/agents/<profile>.json` (0600) says who the agent is,
 * what its token allows, when it expires and where its secrets are; it holds no secret itself.
 * With the file store, the secrets are in `<profile>.key.json` next to it (0600).
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { VkError } from '../../shared/errors.js';
import { removeFileDurably, writeFileAtomic } from '../../core/fs/atomic-file.js';
import { KeychainSecretStore, keychainAccount, parseSecrets, type AgentSecrets, type AgentSecretStore, type SecretStoreKind } from './agent-secret-store.js';

export interface AgentProfile {
  readonly version: 1;
  readonly profile: string;
  /** The agent's name: the token's `sub`. */
  readonly name: string;
  readonly tokenType: 'DPoP' | 'Bearer';
  readonly scope: string;
  readonly expiresAt: string;
  /** Thumbprint of the agent's key; null for a bearer token. */
  readonly jkt: string | null;
  readonly store: SecretStoreKind;
}

export const DEFAULT_PROFILE = 'default';
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function checkProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) throw new VkError('invalid_request', '--profile takes 1 to 64 letters, digits, dots, dashes or underscores');
  return name;
}

function agentsDir(dataDir: string): string {
  const dir = join(dataDir, 'agents');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

export function profileFile(dataDir: string, profile: string): string {
  return join(agentsDir(dataDir), `${profile}.json`);
}

export function readProfile(dataDir: string, profile: string): AgentProfile | undefined {
  let text: string;
  try {
    text = readFileSync(profileFile(dataDir, profile), 'utf8');
  } catch {
    return undefined;
  }
  const p = JSON.parse(text) as Partial<AgentProfile>;
  if (p.version !== 1 || typeof p.name !== 'string' || (p.store !== 'keychain' && p.store !== 'file')) {
    throw new VkError('invalid_request', `the profile file ${profileFile(dataDir, profile)} is damaged; run valetkey logout --profile ${profile} and log in again`);
  }
  return p as AgentProfile;
}

export function writeProfile(dataDir: string, p: AgentProfile): void {
  writeFileAtomic(profileFile(dataDir, p.profile), `${JSON.stringify(p, null, 2)}\n`, { overwrite: true });
}

export function removeProfile(dataDir: string, profile: string): void {
  removeFileDurably(profileFile(dataDir, profile));
}

export function secretStoreFor(kind: SecretStoreKind, dataDir: string, profile: string): AgentSecretStore {
  return kind === 'keychain' ? new KeychainSecretStore(keychainAccount(dataDir, profile)) : new FileSecretStore(join(agentsDir(dataDir), `${profile}.key.json`));
}

/** The no-keychain fallback: a 0600 file, written atomically, in the 0700 agents directory. */
export class FileSecretStore implements AgentSecretStore {
  readonly kind = 'file' as const;

  constructor(readonly file: string) {}

  async save(secrets: AgentSecrets): Promise<void> {
    writeFileAtomic(this.file, JSON.stringify(secrets), { overwrite: true });
  }

  async load(): Promise<AgentSecrets | undefined> {
    try {
      return parseSecrets(readFileSync(this.file, 'utf8'));
    } catch {
      return undefined;
    }
  }

  async forget(): Promise<void> {
    rmSync(this.file, { force: true });
  }
}
