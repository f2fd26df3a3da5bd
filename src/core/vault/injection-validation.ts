/**
 * How the HTTPS proxy puts an entry's secret into a request for its allowed hosts (the entry's
 * `injection` setting, and `injectionByHost` for hosts that differ): a header line whose value
 * holds `{value}` (`Authorization: Bearer {value}`), a query parameter, or basic auth (the
 * entry's username, the secret as the password). The secret is the entry's API key, else its password.
 */
import { normaliseHost } from '../../shared/field-checks.js';
import type { EntryInjection } from '../../shared/model.js';
import { invalid } from './input-checks.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const FORBIDDEN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'cookie', 'proxy-authorization']);
const SHAPE = 'injection must be { header: "Name: text with {value}" }, { query: "parameter" } or { basic: true }';

export function validateInjection(value: unknown): EntryInjection | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(SHAPE);
  const { header, query, basic } = value as Partial<Record<'header' | 'query' | 'basic', unknown>>;
  if (basic === true && header === undefined && query === undefined) return { basic: true };
  if (basic !== undefined) throw invalid(SHAPE);
  if (typeof header === 'string' && query === undefined) return { header: checkHeader(header) };
  if (typeof query === 'string' && header === undefined) {
    if (!/^[A-Za-z0-9._~-]{1,100}$/.test(query)) throw invalid('injection.query must be a parameter name of letters, digits, . _ ~ -');
    return { query };
  }
  throw invalid(SHAPE);
}

function checkHeader(line: string): string {
  const colon = line.indexOf(':');
  const name = line.slice(0, colon).trim();
  const template = line.slice(colon + 1).trim();
  if (colon <= 0 || !TOKEN.test(name) || FORBIDDEN_HEADERS.has(name.toLowerCase())) throw invalid('injection.header must start with a header name and a colon, e.g. "Authorization: Bearer {value}"');
  if (!template.includes('{value}') || /[\r\n\0{}]/.test(template.replaceAll('{value}', '')) || template.length > 500) {
    throw invalid('injection.header must hold {value} once or more, and no line breaks or other braces');
  }
  return `${name}: ${template}`;
}

/** `{ host: injection }` for hosts among `allowedHosts` (compared as normalised); absent or empty is none. */
export function validateInjectionByHost(value: unknown, allowedHosts: readonly string[]): Readonly<Record<string, EntryInjection>> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid('injectionByHost must be an object { "host": injection }');
  const out: Record<string, EntryInjection> = {};
  for (const [raw, setting] of Object.entries(value)) {
    const host = normaliseHost(raw);
    if (!allowedHosts.includes(host)) throw invalid(`injectionByHost names ${JSON.stringify(host.slice(0, 100))}, which is not one of the entry's allowed hosts: allow it first`);
    const injection = validateInjection(setting);
    if (injection !== undefined) out[host] = injection;
  }
  return Object.keys(out).length === 0 ? undefined : out;
}
