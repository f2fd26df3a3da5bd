/**
 * Where a name was last found, so a lookup by name opens one row instead of every row of a vault.
 *
 * A hint is only a guess and grants nothing: the store opens the hinted row, checks its sealed name
 * (the AEAD, through the opened-copy cache) against the name asked for, and scans every row as
 * before when the guess is missing, ambiguous, or wrong. A hint is kept per scope (a vault's
 * entries, or the vaults themselves) with the number of rows it was built from; a different count
 * (a row added or removed outside the engine, e.g. a copy put back into the database file) drops
 * it. The store forgets a scope whenever it writes to it. Names and ids only; dropped on lock.
 */
interface Hint {
  readonly rows: number;
  readonly ids: ReadonlyMap<string, readonly string[]>;
}

export class NameHints {
  readonly #scopes = new Map<string, Hint>();

  /** Records every (name key, id) of a scope, as found by a full scan of its `rows` rows. */
  remember(scope: string, rows: number, named: Iterable<readonly [nameKey: string, id: string]>): void {
    const ids = new Map<string, string[]>();
    for (const [key, id] of named) {
      const list = ids.get(key);
      if (list === undefined) ids.set(key, [id]);
      else list.push(id);
    }
    this.#scopes.set(scope, { rows, ids });
  }

  /** The one id last found under this name key, while the scope still has `rows` rows; else undefined. */
  guess(scope: string, rows: number, key: string): string | undefined {
    const hint = this.#scopes.get(scope);
    if (hint === undefined) return undefined;
    if (hint.rows !== rows) {
      this.#scopes.delete(scope);
      return undefined;
    }
    const ids = hint.ids.get(key);
    return ids?.length === 1 ? ids[0] : undefined;
  }

  forget(scope: string): void {
    this.#scopes.delete(scope);
  }

  clear(): void {
    this.#scopes.clear();
  }
}
