/**
 * Checks of what people type, shared by the engine (which refuses with invalid_request) and the
 * dashboard's forms (which show the same sentence next to the field before sending). Each answers
 * a sentence a person understands, or undefined when the value is fine. None echoes the value:
 * it may be a secret typed into the wrong box.
 */

/** The longest names the engine keeps, in characters (code points); longer ones are refused, never cut. */
export const MAX_VAULT_NAME_CHARS = 100;
export const MAX_TITLE_CHARS = 200;
export const MAX_CUSTOM_NAME_CHARS = 100;
export const MAX_TOKEN_NAME_CHARS = 100;

// Control characters in names would garble terminals and log lines that show them.
const CONTROL = /\p{Cc}/u;

/** A display name (vault, entry title, custom field, token): `label` starts the sentence, e.g. "The vault name". */
export function nameProblem(value: string, label: string, max: number): string | undefined {
  const name = value.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0) return value === '' ? `${label} is empty; give one.` : `${label} is only spaces; give one with letters or digits.`;
  if (length > max) return `${label} is ${length} characters long; the most is ${max}. Shorten it (nothing is cut off for you).`;
  if (CONTROL.test(name)) return `${label} holds a control character (a tab or line break, say); remove it.`;
  return undefined;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST_AND_PORT = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;

/** Parsed by the WHATWG URL parser, which both Node and browsers have, rather than node:net. */
function isIpv6Literal(bracketed: string): boolean {
  try {
    return new URL(`http://${bracketed}/`).hostname.startsWith('[');
  } catch {
    return false;
  }
}

function isHostname(host: string): boolean {
  if (host.startsWith('[')) return host.endsWith(']') && isIpv6Literal(host);
  return host.length <= 253 && host.split('.').every((label) => LABEL.test(label));
}

function isPort(port: string | undefined): boolean {
  if (port === undefined) return true;
  const n = Number(port);
  return n >= 1 && n <= 65535;
}

/** "api.example.com" or "api.example.com:8443", lowercased; what the fetch check compares with the URL's host. */
export function normaliseHost(value: string): string {
  return value.trim().toLowerCase();
}

/** One allowed host for use without exposure; `label` names it, e.g. "Allowed host 2". */
export function allowedHostProblem(value: string, label: string): string | undefined {
  const host = normaliseHost(value);
  if (host === '') return `${label} is empty; remove the line or give a host name like api.example.com.`;
  if (host.includes('://')) return `${label} is written as a web address; give only the host name, like api.example.com (no https:// and no path).`;
  if (host.includes('/')) return `${label} has a path; give only the host name, like api.example.com (no path after it).`;
  if (host.includes('@')) return `${label} has a user name in it; give only the host name, like api.example.com.`;
  const match = HOST_AND_PORT.exec(host);
  if (match === null || !isHostname(match[1]!)) return `${label} is not a host name; give one like api.example.com, or an IP address.`;
  if (!isPort(match[2])) return `${label} has a port outside 1 to 65535.`;
  return undefined;
}

/** Where a syslog stream goes: a host name or IP address only; the transport and port are separate fields. */
export function streamHostProblem(value: string): string | undefined {
  const host = value.trim();
  if (host === '') return 'The host is empty; give the syslog server’s host name or IP address.';
  if (host.includes('://')) return 'The host is written as an address with a scheme; give only the host name or IP address, like logs.example.com (choose the transport and port in their own fields).';
  if (host.length > 253 || !/^[A-Za-z0-9.:\-[\]]+$/.test(host)) return 'The host must be a host name or IP address, like logs.example.com or 10.0.0.5, with no path or port.';
  return undefined;
}

export const MAX_RETENTION_DAYS = 36_500;

/** A retention limit: a whole number from 1 to `max`, or null for "no limit". */
export function retentionLimitProblem(value: number | null, label: string, max: number): string | undefined {
  if (value === null) return undefined;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) return `${label} must be a whole number from 1 to ${max.toLocaleString('en-US')}, or left empty for no limit.`;
  return undefined;
}
