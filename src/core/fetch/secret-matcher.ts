/**
 * Finds secret forms in bytes and replaces them, for whole bodies (`/v1/fetch` redaction) and
 * for streams (`valetkey run` masking), where a value may arrive split across chunks.
 *
 * Works on "binary strings" (latin1: one char per byte), so any output, text or not, passes
 * through unchanged except for the replaced spans, and a multi-byte character split across
 * chunks is never garbled. Patterns are the UTF-8 bytes of each form, as latin1 strings.
 */
import { secretForms } from './secret-forms.js';

export interface SecretToHide {
  readonly value: string;
  /** What replaces each occurrence (any of its forms). */
  readonly replacement: string;
}

interface Pattern {
  readonly bytes: string;
  readonly replacement: string;
}

export interface ScanResult {
  /** Text safe to release (latin1). */
  readonly out: string;
  /** Held back because it may be the start of a secret; give it back with the next chunk. */
  readonly rest: string;
  readonly replaced: number;
}

export class SecretMatcher {
  /** Patterns by their first byte, longest first, so the longest form wins at each position. */
  readonly #byFirst = new Map<string, Pattern[]>();

  constructor(secrets: readonly SecretToHide[]) {
    const patterns = secrets.flatMap((s) =>
      secretForms(s.value).map((form) => ({ bytes: Buffer.from(form, 'utf8').toString('latin1'), replacement: Buffer.from(s.replacement, 'utf8').toString('latin1') })),
    );
    patterns.sort((a, b) => b.bytes.length - a.bytes.length);
    for (const p of patterns) {
      const first = p.bytes[0] ?? '';
      const list = this.#byFirst.get(first) ?? [];
      list.push(p);
      this.#byFirst.set(first, list);
    }
  }

  get empty(): boolean {
    return this.#byFirst.size === 0;
  }

  /** Replace every form in `text`; with `final` false, a tail that could begin a secret is held back. */
  scan(text: string, final: boolean): ScanResult {
    let out = '';
    let runStart = 0;
    let replaced = 0;
    let i = 0;
    while (i < text.length) {
      const list = this.#byFirst.get(text[i] ?? '');
      const step = list === undefined ? { kind: 'none' as const } : this.#matchAt(list, text, i, final);
      if (step.kind === 'hold') return { out: out + text.slice(runStart, i), rest: text.slice(i), replaced };
      if (step.kind === 'match') {
        out += text.slice(runStart, i) + step.pattern.replacement;
        i += step.pattern.bytes.length;
        runStart = i;
        replaced += 1;
      } else {
        i += 1;
      }
    }
    return { out: out + text.slice(runStart), rest: '', replaced };
  }

  #matchAt(list: readonly Pattern[], text: string, i: number, final: boolean): { kind: 'none' } | { kind: 'hold' } | { kind: 'match'; pattern: Pattern } {
    const remaining = text.length - i;
    if (!final && list.some((p) => p.bytes.length > remaining && p.bytes.startsWith(text.slice(i)))) return { kind: 'hold' };
    const pattern = list.find((p) => text.startsWith(p.bytes, i));
    return pattern === undefined ? { kind: 'none' } : { kind: 'match', pattern };
  }
}

/** Redact a whole buffer at once. */
export function redactBytes(matcher: SecretMatcher, bytes: Buffer): { readonly bytes: Buffer; readonly replaced: number } {
  if (matcher.empty) return { bytes, replaced: 0 };
  const { out, replaced } = matcher.scan(bytes.toString('latin1'), true);
  return { bytes: Buffer.from(out, 'latin1'), replaced };
}
