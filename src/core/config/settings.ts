/**
 * Small key/value settings kept in the database. Values that decide who may do what (the admin
 * passphrase verifier) carry a MAC under a key derived from the engine's signing key, so editing
 * the database file by hand cannot swap in another passphrase.
 */
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import type { SigningSeed } from '../crypto/types.js';
import { hmacHex, macKey, sameMac } from '../integrity/row-mac.js';

export const SETTING = {
  installId: 'install_id',
  keyStorage: 'key_storage',
  adminPassphrase: 'admin_passphrase',
  adminPassphraseMac: 'admin_passphrase_mac',
  agentsPaused: 'agents_paused',
  createdAt: 'created_at',
  agentPort: 'agent_port',
  /** Set by migration 5: the first unlock gives rows from before it their MACs, once. */
  sealPending: 'seal_pending',
  agentsPausedMac: 'agents_paused_mac',
  agentPortMac: 'agent_port_mac',
} as const;
type SettingKey = (typeof SETTING)[keyof typeof SETTING];

export class Settings {
  private readonly getStmt;
  private readonly putStmt;

  constructor(private readonly db: Database) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.putStmt = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    );
  }

  get(key: SettingKey): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  put(key: SettingKey, value: string): void {
    this.putStmt.run(key, value);
  }

  putMany(values: Partial<Record<SettingKey, string>>): void {
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(values)) if (v !== undefined) this.put(k as SettingKey, v);
    })();
  }

  delete(key: SettingKey): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  isInitialized(): boolean {
    return this.get(SETTING.installId) !== undefined;
  }

  /** Store the admin passphrase verifier with its MAC. */
  putAdminVerifier(hash: string, signing: SigningSeed): void {
    this.putMany({ [SETTING.adminPassphrase]: hash, [SETTING.adminPassphraseMac]: settingsMac(signing, hash) });
  }

  /** The verifier, after checking its MAC; a hand-edited verifier is an integrity error. */
  adminVerifier(signing: SigningSeed): string {
    const hash = this.get(SETTING.adminPassphrase);
    const mac = this.get(SETTING.adminPassphraseMac);
    if (hash === undefined || mac === undefined) throw new VkError('not_initialized');
    if (!sameMac(settingsMac(signing, hash), mac)) throw new VkError('integrity_error');
    return hash;
  }
}

function settingsMac(signing: SigningSeed, value: string): string {
  return hmacHex(macKey(signing, 'valetkey settings mac v1'), value);
}
