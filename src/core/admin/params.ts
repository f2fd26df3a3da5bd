/**
 * Admin API params arrive as JSON from other processes: check their shape at the edge, once,
 * with errors that name the field. Values are never echoed back.
 */
import { VkError } from '../../shared/errors.js';

export type Params = Readonly<Record<string, unknown>>;

export function asParams(value: unknown): Params {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new VkError('invalid_request', 'params must be a JSON object');
  }
  return value as Params;
}

export function str(p: Params, name: string): string {
  const v = p[name];
  if (typeof v !== 'string' || v.length === 0) throw new VkError('invalid_request', `\`${name}\` must be a non-empty string`);
  return v;
}

export function optStr(p: Params, name: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new VkError('invalid_request', `\`${name}\` must be a string`);
  return v;
}

export function optNum(p: Params, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new VkError('invalid_request', `\`${name}\` must be a number`);
  return v;
}

export function obj(p: Params, name: string): Params {
  const v = p[name];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new VkError('invalid_request', `\`${name}\` must be an object`);
  return v as Params;
}
