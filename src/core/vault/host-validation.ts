/**
 * Allowed hosts for `/v1/fetch`: bare hostnames or IP literals, optionally with a port. Lowercased
 * here so the fetch check is a plain string comparison against the request URL's `host`.
 */
import { isIPv6 } from 'node:net';
import { invalid, optionalArray } from './input-checks.js';

export const MAX_ALLOWED_HOSTS = 50;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST_AND_PORT = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

function isHostname(host: string): boolean {
  if (host.startsWith('[')) return isIPv6(host.slice(1, -1));
  return host.length <= 253 && host.split('.').every((label) => LABEL.test(label));
}

function isPort(port: string | undefined): boolean {
  if (port === undefined) return true;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}

function normaliseHost(value: unknown, index: number): string {
  const what = `allowedHosts[${index}] must be a hostname like api.example.com, optionally with :port, without scheme or path`;
  if (typeof value !== 'string') throw invalid(what);
  const host = value.trim().toLowerCase();
  const match = HOST_AND_PORT.exec(host);
  if (match === null || !isHostname(match[1]!) || !isPort(match[2])) throw invalid(what);
  return host;
}

/** Lowercased, de-duplicated hosts; throws `invalid_request` naming the first bad one by index. */
export function validateAllowedHosts(value: unknown): readonly string[] {
  const hosts = optionalArray(value, 'allowedHosts', MAX_ALLOWED_HOSTS) ?? [];
  return [...new Set(hosts.map(normaliseHost))];
}
