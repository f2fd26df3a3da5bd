/**
 * What every format parser hands on: the file's items, each mapped to an entry or skipped with a
 * reason, and what could not be mapped. Parsers never write anything; the import service decides.
 */
import { VkError } from '../../shared/errors.js';
import type { EntryInput, ImportFormat } from '../../shared/model.js';

export interface ImportItem {
  /** Where the item is in the file, for people: "item 12", "line 40". */
  readonly where: string;
  readonly title: string;
  /** Absent when the item is skipped. */
  readonly entry?: EntryInput;
  readonly skipReason?: string;
  /** Parts of the item that could not be mapped, each with its reason. */
  readonly notMapped: readonly string[];
}

export interface ParsedImport {
  readonly format: ImportFormat;
  readonly items: readonly ImportItem[];
  /** Facts about the whole file ("folders are not kept"). */
  readonly general: readonly string[];
}

export interface ImportSource {
  /** The file's base name, for error details. */
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly kdbxPassword?: string;
}

/**
 * A malformed file: the detail names the file and, where it can, the item or line. It never
 * quotes the file's content (which may be a password), only its structure.
 */
export function fileError(file: string, where: string | undefined, what: string): VkError {
  return new VkError('invalid_request', where === undefined ? `${file}: ${what}` : `${file}, ${where}: ${what}`);
}

export function skippedItem(where: string, title: string, reason: string): ImportItem {
  return { where, title: title || '(untitled)', skipReason: reason, notMapped: [] };
}
