import type { Database } from 'better-sqlite3';

/** A numbered, forward-only schema change. Each has its own test in test/core/store/migrations. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}
