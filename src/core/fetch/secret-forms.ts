/**
 * The shapes a secret takes in text built from it, so redaction (`/v1/fetch`) and masking
 * (`valetkey run`) catch more than the literal value: its base64 and base64url encodings, its
 * URL and form encodings, its JSON-escaped form, its HTML-escaped forms (named and numeric
 * entities) and its hex encoding in either case. A service that echoes a value escaped for HTML
 * or as hex would otherwise hand it back to a use-only agent.
 *
 * Base64 is the subtle one. A value inside a larger encoded string (`Basic base64("user:" + pw)`)
 * encodes differently depending on where it falls in the 3-byte groups. For each of the three
 * alignments we keep only the characters that depend on the value's bytes alone, so the value is
 * found wherever it sits. Those cores are only used when long enough not to match by chance.
 */

/** Derived base64 cores shorter than this would match unrelated base64 text by chance. */
const MIN_BASE64_CORE = 6;

/** Characters of the first 4-char group that still depend on bytes before the value, per alignment. */
const LEADING_UNKNOWN = [0, 2, 3] as const;

/** Every form of `value` worth hiding, longest first. The value itself is always included. */
export function secretForms(value: string): readonly string[] {
  if (value === '') return [];
  const forms = new Set<string>([value]);
  const bytes = Buffer.from(value, 'utf8');
  for (const alphabet of ['base64', 'base64url'] as const) {
    forms.add(bytes.toString(alphabet));
    for (const shift of [0, 1, 2] as const) {
      const core = base64Core(bytes, shift, alphabet);
      if (core.length >= MIN_BASE64_CORE) forms.add(core);
    }
  }
  for (const form of textEncodings(value)) forms.add(form);
  for (const form of htmlEncodings(value)) forms.add(form);
  const hex = bytes.toString('hex');
  forms.add(hex).add(hex.toUpperCase());
  return [...forms].filter((f) => f !== '').sort((a, b) => b.length - a.length);
}

/** The characters of base64(prefix ‖ value ‖ suffix) fixed by the value alone, when |prefix| ≡ shift (mod 3). */
export function base64Core(bytes: Uint8Array, shift: 0 | 1 | 2, alphabet: 'base64' | 'base64url'): string {
  const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
  const text = padded.toString(alphabet).replace(/=+$/, '');
  const total = padded.length;
  // A trailing partial group of r bytes fixes its first r characters; the next one mixes in what follows.
  const end = Math.floor(total / 3) * 4 + (total % 3);
  return text.slice(LEADING_UNKNOWN[shift], end);
}

function textEncodings(value: string): string[] {
  const uri = encodeURIComponent(value);
  const form = new URLSearchParams({ v: value }).toString().slice(2);
  const json = JSON.stringify(value).slice(1, -1);
  return [uri, lowerHex(uri), form, lowerHex(form), json, json.replace(/\//g, '\\/')];
}

const HTML_SPECIAL: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * What common HTML escapers produce: the five specials as named entities (apostrophe as &#39; or
 * &#x27;), as decimal entities, and every character as a decimal or hex (either case) entity.
 */
function htmlEncodings(value: string): string[] {
  const chars = [...value];
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  const named = chars.map((c) => HTML_SPECIAL[c] ?? c).join('');
  const decimalSpecials = chars.map((c, i) => (HTML_SPECIAL[c] === undefined ? c : `&#${codes[i]};`)).join('');
  return [
    named,
    named.replaceAll('&#39;', '&#x27;'),
    decimalSpecials,
    codes.map((n) => `&#${n};`).join(''),
    codes.map((n) => `&#x${n.toString(16)};`).join(''),
    codes.map((n) => `&#x${n.toString(16).toUpperCase()};`).join(''),
  ];
}

/** Some encoders write percent-escapes in lower case. */
function lowerHex(encoded: string): string {
  return encoded.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
}
