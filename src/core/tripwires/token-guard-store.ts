/**
 * Each token's tripwire state (its rules, and whether it is paused) is sealed under a key derived
 * from the master key and bound to the token id, in the settings table. An agent that can write
 * the database cannot loosen a rule or unpause its token: a changed or moved value fails to open
 * (integrity_error, and the token is refused). Deleting the row is caught too: the token's own
 * MAC'd row says it has a guard (`guarded`), so a missing one is tamper_detected.
 */
import { hkdfSync } from 'node:crypto';
import { associatedData, openJson, sealJson } from '../crypto/aead.js';
import type { MasterKey } from '../crypto/types.js';
import type { Database } from '../store/database.js';
import type { TokenRules } from '../../shared/model.js';
import { fromBase64, toBase64 } from '../keys/base64.js';
import { VkError } from '../../shared/errors.js';

/** What is sealed per token. `pausedAt` is null while the token runs. */
export interface TokenGuard {
  readonly rules: TokenRules;
  readonly pausedAt: number | null;
}

const INFO = 'valetkey token guard v1';
const KEY_PREFIX = 'token_guard:';

function guardKey(master: MasterKey): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', master, new Uint8Array(0), INFO, 32));
}

const ad = (tokenId: string): Uint8Array => associatedData('token-guard', tokenId);

export class TokenGuardStore {
  readonly #get;
  readonly #put;
  readonly #ids;

  constructor(db: Database) {
    this.#get = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
    this.#ids = db.prepare<[], string>("SELECT key FROM settings WHERE key LIKE 'token\\_guard:%' ESCAPE '\\'").pluck();
    this.#put = db.prepare<[string, string]>('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }

  /** The stored guard, or undefined if the token has none; integrity_error if it was altered. */
  read(master: MasterKey, tokenId: string): TokenGuard | undefined {
    const row = this.#get.get(KEY_PREFIX + tokenId);
    if (row === undefined) return undefined;
    const sealed = fromBase64(row.value);
    if (sealed === undefined) throw new VkError('integrity_error');
    const key = guardKey(master);
    try {
      return openJson<TokenGuard>(key, sealed, ad(tokenId));
    } finally {
      key.fill(0);
    }
  }

  /** The ids of tokens that have a guard row. */
  tokenIds(): string[] {
    return this.#ids.all().map((key) => key.slice(KEY_PREFIX.length));
  }

  write(master: MasterKey, tokenId: string, guard: TokenGuard): void {
    const key = guardKey(master);
    try {
      this.#put.run(KEY_PREFIX + tokenId, toBase64(sealJson(key, guard, ad(tokenId))));
    } finally {
      key.fill(0);
    }
  }
}
