import { migration0001 } from './0001-initial.js';
import type { Migration } from './migration.js';

/** All migrations, in order. Append only; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration0001];
