/**
 * First-run set-up as a person meets it: where the keys can live is settled BEFORE any passphrase
 * is asked, so nobody types a passphrase twice only to be told to start over with another flag.
 */
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { initEngine } from '../../core/engine-init.js';
import { checkPassphraseStrength } from '../../core/keys/admin-passphrase.js';
import { KeychainKeyStore } from '../../core/keys/keychain-key-store.js';
import { VkError } from '../../shared/errors.js';
import type { KeyStorageKind } from '../../shared/model.js';
import type { CliContext } from '../context.js';

/** How long set-up waits for a Secret Service before offering the key file. */
const KEYCHAIN_PROBE_MS = 5_000;

export async function isInitialized(database: string): Promise<boolean> {
  if (!existsSync(database)) return false;
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'settings'").get() !== undefined &&
      db.prepare("SELECT 1 FROM settings WHERE key = 'install_id'").get() !== undefined;
  } finally {
    db.close();
  }
}

/** A read of an item nobody wrote: answered (null) when a keychain is there, keychain_unavailable when not. */
async function keychainReachable(): Promise<boolean> {
  try {
    await new KeychainKeyStore({ account: `probe-${randomBytes(6).toString('hex')}`, timeoutMs: KEYCHAIN_PROBE_MS }).exists();
    return true;
  } catch {
    return false;
  }
}

/**
 * The OS keychain when one answers; otherwise the person chooses the key file in this same run
 * (an explicit "y", on a terminal or as the first line of piped input), or stops here.
 */
export async function chooseKeyStorage(ctx: CliContext, keyFileAsked: boolean): Promise<KeyStorageKind> {
  if (keyFileAsked) return 'key_file';
  if (await keychainReachable()) return 'keychain';
  ctx.err(
    'No OS keychain can be reached on this machine (no Secret Service answers on the D-Bus session bus).\n' +
      'Valetkey can keep its keys in a key file instead, sealed by your admin passphrase (Argon2id).\n' +
      'It then starts locked after each restart, until you type that passphrase.',
  );
  const answer = await ctx.prompter.ask('Use a passphrase key file? [y/N] ');
  if (/^\s*y(es)?\s*$/i.test(answer)) return 'key_file';
  throw new VkError('keychain_unavailable');
}

async function choosePassphrase(ctx: CliContext): Promise<string> {
  const first = await ctx.prompter.ask('Choose an admin passphrase (10+ characters): ', { hidden: true });
  // Checked before "Repeat it", so a too-short one is not typed twice for nothing.
  checkPassphraseStrength(first);
  if (process.stdin.isTTY) {
    const again = await ctx.prompter.ask('Repeat it: ', { hidden: true });
    if (again !== first) throw new VkError('invalid_request', 'The two passphrases differ. Run it again and type the same passphrase twice.');
  }
  return first;
}

export interface FirstRunResult {
  readonly installId: string;
  readonly keyStorage: KeyStorageKind;
  /** The passphrase just proven twice; the caller hands it to the engine it starts, then forgets it. */
  readonly passphrase: string;
}

export async function firstRun(ctx: CliContext, keyFileAsked: boolean): Promise<FirstRunResult> {
  const keyStorage = await chooseKeyStorage(ctx, keyFileAsked);
  const passphrase = await choosePassphrase(ctx);
  const { installId } = await initEngine({ dataDir: ctx.paths.dataDir, adminPassphrase: passphrase, keyStorage });
  return { installId, keyStorage, passphrase };
}

export function keyStorageWords(kind: KeyStorageKind): string {
  return kind === 'keychain' ? 'the OS keychain' : 'the passphrase key file';
}
