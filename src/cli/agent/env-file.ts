/**
 * Env files for `valetkey run --env-file`: `NAME=value` lines, `export ` prefixes, `#` comments,
 * values in single quotes (literal), double quotes (with \n, \t, \" and \\ escapes) or bare
 * (trailing ` # comment` removed). The dotenv conventions most tools share, nothing more.
 */
import { readFileSync } from 'node:fs';
import { VkError } from '../../shared/errors.js';

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

export function readEnvFile(path: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new VkError('not_found', `cannot read the env file ${path}`);
  }
  return parseEnv(text, path);
}

export function parseEnv(text: string, name = 'the env file'): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, index) => {
    if (/^\s*(#|$)/.test(line)) return;
    const m = LINE.exec(line);
    if (m === null) throw new VkError('invalid_request', `${name}, line ${index + 1}: expected NAME=value`);
    out[m[1] ?? ''] = unquote(m[2] ?? '');
  });
  return out;
}

function unquote(raw: string): string {
  if (raw.length >= 2 && raw.startsWith("'") && raw.endsWith("'")) return raw.slice(1, -1);
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"')) {
    return raw.slice(1, -1).replace(/\\([nrt"\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' })[c] ?? c);
  }
  return raw.replace(/\s+#.*$/, '');
}

/** Names whose whole value is a `vk://` reference, and the distinct references. */
export function findEnvReferences(env: Readonly<Record<string, string | undefined>>): { readonly names: string[]; readonly refs: string[] } {
  const names = Object.keys(env).filter((k) => isReference(env[k]));
  return { names, refs: [...new Set(names.map((k) => (env[k] ?? '').trim()))] };
}

function isReference(value: string | undefined): boolean {
  return value !== undefined && /^vk:\/\/\S+$/i.test(value.trim());
}
