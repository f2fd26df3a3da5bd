/**
 * Checks an AuditRecord before it is queued, so a bad caller fails at once with invalid_request
 * instead of failing a whole group commit. Detail messages name the field, never its value.
 */
import { VkError } from '../../shared/errors.js';
import { ACTOR_KINDS, AUDIT_OUTCOMES, type AuditRecord, type AuditRow } from '../../shared/model.js';
import { canonicalJson } from './canonical-json.js';

export const AUDIT_LIMITS = {
  action: 64,
  reason: 300,
  agent: 100,
  /** Ids, thumbprints and codes: generous, but a runaway caller cannot write megabytes. */
  otherText: 200,
  detailBytes: 4096,
} as const;

const ACTION_PATTERN = /^[a-z0-9_.]{1,64}$/;

/**
 * A guard, not the defence: callers must never pass secrets, but a detail key that names one
 * (`password`, `clientSecret`, `accessToken`, `newValue`, ...) is refused. Keys are compared
 * lower-cased without separators, by their ending, so `tokenCount` or `parentTokenId` pass.
 */
const SECRET_KEY_ENDINGS = ['password', 'passphrase', 'secret', 'token', 'value', 'apikey', 'privatekey'] as const;

/** A validated record: every field present (null when absent), detail already serialised. */
export interface PreparedRecord {
  readonly row: Omit<AuditRow, 'seq' | 'hash'>;
  readonly detailJson: string | null;
}

export function prepareRecord(record: AuditRecord, ts: number): PreparedRecord {
  if (typeof record !== 'object' || record === null) throw invalid('the audit record must be an object');
  if (!(ACTOR_KINDS as readonly unknown[]).includes(record.actor)) throw invalid('audit actor is not one of agent, person, engine');
  if (!(AUDIT_OUTCOMES as readonly unknown[]).includes(record.outcome)) throw invalid('audit outcome is not one of allowed, refused, ok, error');
  if (typeof record.action !== 'string' || !ACTION_PATTERN.test(record.action)) {
    throw invalid('audit action must be 1 to 64 characters of a-z, 0-9, _ and .');
  }
  const { detail, detailJson } = prepareDetail(record.detail);
  const row = {
    ts,
    actor: record.actor,
    agent: optionalText(record.agent, 'agent', AUDIT_LIMITS.agent),
    tokenId: optionalText(record.tokenId, 'tokenId', AUDIT_LIMITS.otherText),
    keyThumbprint: optionalText(record.keyThumbprint, 'keyThumbprint', AUDIT_LIMITS.otherText),
    action: record.action,
    vaultId: optionalText(record.vaultId, 'vaultId', AUDIT_LIMITS.otherText),
    entryId: optionalText(record.entryId, 'entryId', AUDIT_LIMITS.otherText),
    field: optionalText(record.field, 'field', AUDIT_LIMITS.otherText),
    reason: optionalText(record.reason, 'reason', AUDIT_LIMITS.reason),
    outcome: record.outcome,
    errorCode: optionalText(record.errorCode, 'errorCode', AUDIT_LIMITS.otherText),
    approvalId: optionalText(record.approvalId, 'approvalId', AUDIT_LIMITS.otherText),
    detail,
  };
  return { row, detailJson };
}

function optionalText(value: unknown, name: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(`audit ${name} must be a string`);
  if (value.length > max) throw invalid(`audit ${name} is longer than ${max} characters`);
  return value;
}

function prepareDetail(detail: unknown): { detail: Readonly<Record<string, unknown>> | null; detailJson: string | null } {
  if (detail === undefined || detail === null) return { detail: null, detailJson: null };
  if (typeof detail !== 'object' || Array.isArray(detail)) throw invalid('audit detail must be a JSON object');
  const badKey = findSecretKey(detail);
  if (badKey !== undefined) throw invalid(`audit detail key "${badKey.slice(0, 40)}" looks like a secret; audit rows never hold secret values`);
  let json: string;
  try {
    json = canonicalJson(detail);
  } catch {
    throw invalid('audit detail must be plain JSON (finite numbers, no undefined in arrays, no cycles)');
  }
  if (Buffer.byteLength(json, 'utf8') > AUDIT_LIMITS.detailBytes) throw invalid('audit detail is larger than 4 KiB');
  // Hand back the parsed canonical form, so listeners see exactly what was stored and hashed.
  return { detail: JSON.parse(json) as Record<string, unknown>, detailJson: json };
}

const MAX_DETAIL_DEPTH = 16;

/** The first key, at any depth, that names a secret. Depth is capped so every key is really checked. */
function findSecretKey(value: unknown, depth = 0): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > MAX_DETAIL_DEPTH) throw invalid(`audit detail is nested deeper than ${MAX_DETAIL_DEPTH} levels`);
  const entries = Array.isArray(value) ? value.map((v): [string, unknown] => ['', v]) : Object.entries(value);
  for (const [key, item] of entries) {
    if (key !== '' && isSecretKey(key)) return key;
    const nested = findSecretKey(item, depth + 1);
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function isSecretKey(key: string): boolean {
  const plain = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_KEY_ENDINGS.some((ending) => plain.endsWith(ending));
}

function invalid(detail: string): VkError {
  return new VkError('invalid_request', detail);
}
