/**
 * Allowed hosts for `/v1/fetch`: bare hostnames or IP literals, optionally with a port. Lowercased
 * here so the fetch check is a plain string comparison against the request URL's `host`. The
 * check itself lives in src/shared, so the dashboard's form says the same thing before sending.
 */
import { allowedHostProblem, normaliseHost } from '../../shared/field-checks.js';
import { invalid, optionalArray } from './input-checks.js';

export const MAX_ALLOWED_HOSTS = 50;

function checkHost(value: unknown, index: number): string {
  const label = `Allowed host ${index + 1}`;
  if (typeof value !== 'string') throw invalid(`${label} must be text, like api.example.com.`);
  const problem = allowedHostProblem(value, label);
  if (problem !== undefined) throw invalid(problem);
  return normaliseHost(value);
}

/** Lowercased, de-duplicated hosts; throws `invalid_request` naming the first bad one by position. */
export function validateAllowedHosts(value: unknown): readonly string[] {
  const hosts = optionalArray(value, 'allowedHosts', MAX_ALLOWED_HOSTS) ?? [];
  return [...new Set(hosts.map(checkHost))];
}
