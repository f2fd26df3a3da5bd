/**
 * What each token did before, for the rules: its access times of the last hour, and every entry and
 * reason it has used. Kept in memory, and seeded from the audit ledger the first time a token is
 * seen after a start, so a restart does not make every entry look new.
 */
import type { AuditPage, AuditQuery } from '../../shared/model.js';
import type { AccessHistory } from './rule-checks.js';

const HOUR = 3_600_000;
/** How many past secret rows of one token seed its history (the newest ones). */
const SEED_ROWS = 500;
const SECRET_ACTIONS = ['secret.read', 'secret.use'] as const;
/** Entries and reasons remembered per token; beyond that the oldest are forgotten (and may alert again). */
const MAX_REMEMBERED = 5000;

interface Mutable {
  times: number[];
  readonly entries: Set<string>;
  readonly reasons: Set<string>;
}

export class AccessHistories {
  readonly #byToken = new Map<string, Mutable>();
  readonly #past: (q: AuditQuery) => AuditPage;

  constructor(past: (q: AuditQuery) => AuditPage) {
    this.#past = past;
  }

  of(tokenId: string, now: number): AccessHistory {
    const h = this.#get(tokenId);
    h.times = h.times.filter((t) => t > now - HOUR);
    return h;
  }

  record(tokenId: string, now: number, reason: string, entryIds: readonly string[]): void {
    const h = this.#get(tokenId);
    for (const id of entryIds) {
      h.times.push(now);
      remember(h.entries, id);
    }
    remember(h.reasons, reason);
  }

  forget(tokenId: string): void {
    this.#byToken.delete(tokenId);
  }

  #get(tokenId: string): Mutable {
    let h = this.#byToken.get(tokenId);
    if (h === undefined) {
      h = this.#seed(tokenId);
      this.#byToken.set(tokenId, h);
    }
    return h;
  }

  #seed(tokenId: string): Mutable {
    const rows = SECRET_ACTIONS.flatMap((action) => this.#past({ tokenId, action, outcome: 'allowed', limit: SEED_ROWS }).rows);
    rows.sort((a, b) => a.seq - b.seq);
    const h: Mutable = { times: [], entries: new Set(), reasons: new Set() };
    for (const row of rows) {
      h.times.push(row.ts);
      if (row.entryId !== null) remember(h.entries, row.entryId);
      if (row.reason !== null) remember(h.reasons, row.reason);
    }
    return h;
  }
}

function remember(set: Set<string>, value: string): void {
  set.delete(value);
  set.add(value);
  if (set.size > MAX_REMEMBERED) set.delete(set.values().next().value ?? '');
}
