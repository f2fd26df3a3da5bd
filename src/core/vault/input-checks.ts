/**
 * Small checks shared by vault and entry validation. Every failure names the field and says what
 * to do; none echoes the value, because the value may be a secret.
 */
import { VkError } from '../../shared/errors.js';
import { nameProblem } from '../../shared/field-checks.js';

export const MAX_VALUE_BYTES = 64 * 1024;

export function invalid(detail: string): VkError {
  return new VkError('invalid_request', detail);
}

/**
 * A trimmed, NFC-normalised display name of 1..max characters, without control characters.
 * `label` starts the sentence a person reads ("The vault name is only spaces…").
 */
export function requireName(value: unknown, label: string, max: number): string {
  if (typeof value !== 'string') throw invalid(`${label} must be text.`);
  const problem = nameProblem(value, label, max);
  if (problem !== undefined) throw invalid(problem);
  return value.normalize('NFC').trim();
}

/** A string value of at most 64 KiB (UTF-8); `undefined` stays absent. */
export function optionalValue(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string`);
  if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) throw invalid(`${field} must be at most 64 KiB`);
  return value;
}

/** An array of at most `max` items, or `undefined`. */
export function optionalArray(value: unknown, field: string, max: number): readonly unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid(`${field} must be an array`);
  if (value.length > max) throw invalid(`${field} may have at most ${max} items`);
  return value;
}

/** Case- and normalisation-insensitive key for names that must be unique. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLowerCase();
}
