/**
 * Audit search for the Activity dashboard and the CLI: newest first, paged by seq. Each equality
 * filter has an (column, seq) index in migration 0001, so `col = ? AND seq < ? ORDER BY seq DESC`
 * is an index range walk; the test checks the plan with EXPLAIN QUERY PLAN.
 */
import type { Database } from '../store/database.js';
import { VkError } from '../../shared/errors.js';
import { ACTOR_KINDS, AUDIT_OUTCOMES, type AuditPage, type AuditQuery } from '../../shared/model.js';
import { AUDIT_COLUMNS, decodeAuditRow, type AuditDbRow } from './audit-row-codec.js';

export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;
const MAX_FILTER_LENGTH = 300;

const EQUALITY_FILTERS = {
  agent: 'agent',
  tokenId: 'token_id',
  vaultId: 'vault_id',
  action: 'action',
  outcome: 'outcome',
  actor: 'actor',
} as const;

const NUMERIC_FILTERS = ['since', 'until', 'beforeSeq', 'limit'] as const;
const KNOWN_KEYS: ReadonlySet<string> = new Set([...Object.keys(EQUALITY_FILTERS), ...NUMERIC_FILTERS, 'reasonContains']);

export interface BuiltAuditQuery {
  readonly sql: string;
  readonly params: readonly (string | number)[];
  /** Rows asked for: the page size plus one, to know whether an older page exists. */
  readonly fetch: number;
}

export function buildAuditQuery(q: AuditQuery): BuiltAuditQuery {
  checkShape(q);
  const where: string[] = [];
  const params: (string | number)[] = [];
  for (const [key, column] of Object.entries(EQUALITY_FILTERS)) {
    const value = text(q[key as keyof typeof EQUALITY_FILTERS], key);
    if (value === undefined) continue;
    where.push(`${column} = ?`);
    params.push(value);
  }
  addNumber(where, params, 'ts >= ?', finite(q.since, 'since'));
  addNumber(where, params, 'ts < ?', finite(q.until, 'until'));
  addNumber(where, params, 'seq < ?', integer(q.beforeSeq, 'beforeSeq', 1, Number.MAX_SAFE_INTEGER));
  const search = text(q.reasonContains, 'reasonContains');
  // lower() folds ASCII only; good enough for reasons, which the engine asks for in plain words.
  if (search !== undefined && search !== '') {
    where.push('instr(lower(reason), lower(?)) > 0');
    params.push(search);
  }
  const limit = integer(q.limit, 'limit', 1, AUDIT_PAGE_MAX) ?? AUDIT_PAGE_DEFAULT;
  const clause = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  params.push(limit + 1);
  return { sql: `SELECT ${AUDIT_COLUMNS} FROM audit${clause} ORDER BY seq DESC LIMIT ?`, params, fetch: limit + 1 };
}

export function runAuditQuery(db: Database, q: AuditQuery): AuditPage {
  const built = buildAuditQuery(q);
  const found = db.prepare<unknown[], AuditDbRow>(built.sql).all(...built.params);
  const limit = built.fetch - 1;
  const rows = found.slice(0, limit).map((r) => decodeAuditRow(r));
  const last = rows.at(-1);
  return found.length > limit && last !== undefined ? { rows, nextBeforeSeq: last.seq } : { rows };
}

function checkShape(q: AuditQuery): void {
  if (typeof q !== 'object' || q === null || Array.isArray(q)) throw invalid('the audit query must be an object');
  for (const [key, value] of Object.entries(q)) {
    if (value !== undefined && !KNOWN_KEYS.has(key)) throw invalid(`unknown audit filter "${key.slice(0, 40)}"`);
  }
  if (q.outcome !== undefined && !(AUDIT_OUTCOMES as readonly unknown[]).includes(q.outcome)) throw invalid('outcome is not a known outcome');
  if (q.actor !== undefined && !(ACTOR_KINDS as readonly unknown[]).includes(q.actor)) throw invalid('actor is not a known actor');
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > MAX_FILTER_LENGTH) throw invalid(`${name} must be a string of at most ${MAX_FILTER_LENGTH} characters`);
  return value;
}

function finite(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(`${name} must be a time in milliseconds`);
  return value;
}

function integer(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value as number;
}

function addNumber(where: string[], params: (string | number)[], condition: string, value: number | undefined): void {
  if (value === undefined) return;
  where.push(condition);
  params.push(value);
}

function invalid(detail: string): VkError {
  return new VkError('invalid_request', detail);
}
