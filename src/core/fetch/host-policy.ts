/**
 * Where `/v1/fetch` may send a request: to a host the person allowed for EVERY entry the request
 * names (EntryInput.allowedHosts), over HTTPS, or over plain HTTP only to a loopback address (for
 * local services and tests). Checked before any value is read and before any network I/O, DNS
 * included, so a refused request sends nothing anywhere.
 *
 * Matching: an allowed host without a port allows the scheme's default port only (443 for
 * https); `host:port` allows that port. Names compare case-insensitively, as lowercased by the
 * vault store. No DNS-based filtering of private addresses: the allowlist is the person's
 * explicit choice of a name, and an intranet API they allowed is theirs to allow.
 */
import { VkError } from '../../shared/errors.js';

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'https:': '443', 'http:': '80' };

/** Throws invalid_request for a scheme that is not allowed, host_not_allowed for a host that is not. */
export function checkDestination(origin: URL, allowedPerEntry: readonly (readonly string[])[]): void {
  checkScheme(origin);
  const everyEntryAllows = allowedPerEntry.every((hosts) => hostAllowed(origin, hosts));
  if (allowedPerEntry.length === 0 || !everyEntryAllows) throw new VkError('host_not_allowed');
}

/** Throws invalid_request unless the scheme is https, or http to a loopback address. */
export function checkScheme(origin: URL): void {
  if (origin.protocol === 'http:' && !isLoopback(origin.hostname)) {
    throw new VkError('invalid_request', 'plain http is allowed only to a loopback address; use https');
  }
  if (origin.protocol !== 'https:' && origin.protocol !== 'http:') throw new VkError('invalid_request', 'only https (or http to loopback) is supported');
}

/** True when one entry's allowed hosts name the origin's host and port (the scheme is not checked here). */
export function hostAllowed(origin: URL, allowedHosts: readonly string[]): boolean {
  const target = hostKey(origin.hostname, origin.port || (DEFAULT_PORTS[origin.protocol] ?? ''));
  return allowedHosts.some((h) => allowedKey(h, origin.protocol) === target);
}

/** 127.0.0.0/8, ::1 and the name localhost. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host === '[::1]') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function allowedKey(allowed: string, protocol: string): string {
  const host = allowed.trim().toLowerCase();
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
  if (m === null) return ''; // never equal to a real target
  return hostKey(m[1] ?? '', m[2] ?? DEFAULT_PORTS[protocol] ?? '');
}

function hostKey(hostname: string, port: string): string {
  return `${hostname.toLowerCase()}:${Number(port)}`;
}
