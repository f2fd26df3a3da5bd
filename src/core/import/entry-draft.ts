/**
 * Builds one entry from the loose parts an export offers, the way every importer needs it: names
 * cleaned to what Valetkey accepts, custom-field names made unique, a TOTP seed checked, and the
 * result validated exactly as the vault store will validate it. A part that cannot be kept is
 * recorded with its reason; an item that cannot be kept at all is skipped with its reason.
 */
import { isVkError } from '../../shared/errors.js';
import type { CustomField, EntryFields, EntryInput, EntryKind } from '../../shared/model.js';
import { MAX_CUSTOM_NAME_CHARS, MAX_TITLE_CHARS, validateEntryInput } from '../vault/entry-validation.js';
import { nameKey } from '../vault/input-checks.js';
import { parseTotp } from '../vault/totp.js';
import type { ImportItem } from './import-item.js';
import { definedOnly } from '../../shared/defined-only.js';

// Control characters are refused in names; in an export they are line breaks and tabs, so a space is what was meant.
const CONTROL = /\p{Cc}+/gu;

/** NFC, control characters as spaces, runs of spaces collapsed, cut to `max` code points. */
export function cleanName(text: string, max: number): { readonly name: string; readonly cut: boolean } {
  const name = text.normalize('NFC').replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
  const chars = [...name];
  return chars.length <= max ? { name, cut: false } : { name: chars.slice(0, max).join('').trim(), cut: true };
}

export function isTotpSeed(text: string): boolean {
  try {
    parseTotp(text).secret.fill(0);
    return true;
  } catch {
    return false;
  }
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).hostname || undefined;
  } catch {
    return undefined;
  }
}

export class EntryDraft {
  title = '';
  kind: EntryKind = 'login';
  username: string | undefined;
  password: string | undefined;
  apiKey: string | undefined;
  notes: string | undefined;
  allowedHosts: readonly string[] | undefined;
  readonly urls: string[] = [];
  readonly notMapped: string[] = [];
  #totp: string | undefined;
  readonly #custom: CustomField[] = [];

  constructor(readonly where: string) {}

  addUrl(url: string | undefined): void {
    const clean = url?.trim();
    if (clean) this.urls.push(clean);
  }

  /** The first seed becomes the entry's TOTP; a second one is kept as a hidden field. */
  addTotp(seed: string | undefined, label = 'TOTP'): void {
    const clean = seed?.trim();
    if (!clean) return;
    if (this.#totp === undefined) this.#totp = clean;
    else this.addCustom(label, clean, true);
  }

  /** Empty values are dropped unless `keepEmpty` (a field the person named on purpose). */
  addCustom(name: string | undefined, value: string | undefined, hidden: boolean, keepEmpty = false): void {
    if (value === undefined || (value === '' && !keepEmpty)) return;
    const cleaned = cleanName(name ?? '', MAX_CUSTOM_NAME_CHARS).name || 'Field';
    this.#custom.push({ name: this.#uniqueName(cleaned), value, hidden });
  }

  hasTotp(): boolean {
    return this.#totp !== undefined;
  }

  lose(what: string): void {
    this.notMapped.push(what);
  }

  hasCustom(name: string): boolean {
    return this.#custom.some((c) => nameKey(c.name) === nameKey(name));
  }

  /** Takes the named custom field out (for formats that mark which field held the API key). */
  takeCustom(name: string): CustomField | undefined {
    const at = this.#custom.findIndex((c) => nameKey(c.name) === nameKey(name));
    return at < 0 ? undefined : this.#custom.splice(at, 1)[0];
  }

  finish(): ImportItem {
    this.#checkTotp();
    const { name: cleaned, cut } = cleanName(this.title, MAX_TITLE_CHARS);
    if (cut) this.lose(`the title was cut to ${MAX_TITLE_CHARS} characters`);
    const fields = this.#fields();
    const title = cleaned || hostOf(this.urls[0]) || cleanName(this.username ?? '', MAX_TITLE_CHARS).name || 'Untitled';
    if (Object.keys(fields).length === 0 && !cleaned) return { where: this.where, title: '(untitled)', skipReason: 'the item is empty', notMapped: [] };
    const entry: EntryInput = { title, kind: this.kind, fields, ...(this.allowedHosts?.length ? { allowedHosts: this.allowedHosts } : {}) };
    try {
      return { where: this.where, title, entry: validateEntryInput(entry), notMapped: this.notMapped };
    } catch (e) {
      if (!isVkError(e)) throw e;
      // Validation details name the field and the rule, never the value.
      return { where: this.where, title, skipReason: e.detail ?? e.code, notMapped: [] };
    }
  }

  #fields(): EntryFields {
    const set = <T>(value: T | undefined) => (value === undefined || value === '' ? undefined : value);
    const fields: Record<string, unknown> = {
      username: set(this.username),
      password: set(this.password),
      urls: this.urls.length > 0 ? [...this.urls] : undefined,
      totp: set(this.#totp),
      apiKey: set(this.apiKey),
      notes: set(this.notes),
      custom: this.#custom.length > 0 ? [...this.#custom] : undefined,
    };
    return definedOnly(fields);
  }

  /** A seed we cannot generate codes from (HOTP, Steam, garbage) is kept, but as a hidden field. */
  #checkTotp(): void {
    if (this.#totp === undefined || isTotpSeed(this.#totp)) return;
    const seed = this.#totp;
    this.#totp = undefined;
    this.addCustom('TOTP', seed, true);
    this.lose('the one-time-password seed is not a TOTP seed Valetkey can use; it was kept as a hidden field');
  }

  #uniqueName(name: string): string {
    if (!this.hasCustom(name)) return name;
    for (let n = 2; ; n++) {
      const suffix = ` (${n})`;
      const candidate = [...name].slice(0, MAX_CUSTOM_NAME_CHARS - suffix.length).join('') + suffix;
      if (!this.hasCustom(candidate)) return candidate;
    }
  }
}
