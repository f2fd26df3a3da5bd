/**
 * Shape checks for JSON exports. A value of the wrong type means the file is not what it claims
 * to be (or was edited by hand): the error names the file, the item and the key, never the value.
 */
import { isJsonObject, type JsonObject } from '../../shared/json-object.js';
import { fileError } from './import-item.js';

export type { JsonObject };

export interface Where {
  readonly file: string;
  readonly where?: string;
}

export const isObject = isJsonObject;

export function asObject(value: unknown, at: Where, what: string): JsonObject {
  if (!isObject(value)) throw fileError(at.file, at.where, `${what} must be a JSON object`);
  return value;
}

/** An optional object: null and absent are undefined. */
export function optObject(parent: JsonObject, key: string, at: Where): JsonObject | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  return asObject(value, at, `\`${key}\``);
}

/** An optional array: null and absent are empty. */
export function optArray(parent: JsonObject, key: string, at: Where): readonly unknown[] {
  const value = parent[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw fileError(at.file, at.where, `\`${key}\` must be a JSON array`);
  return value;
}

/** An optional text value; numbers and booleans are written out, other types are an error. */
export function optText(parent: JsonObject, key: string, at: Where): string | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw fileError(at.file, at.where, `\`${key}\` must be text`);
}

export function optNumber(parent: JsonObject, key: string, at: Where): number | undefined {
  const value = parent[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw fileError(at.file, at.where, `\`${key}\` must be a number`);
  return value;
}
