/**
 * What the engine hands the import worker and what comes back: plain data only, so a structured
 * clone carries it and nothing of the parser's objects crosses into the engine.
 */
import type { ImportFormat } from '../../shared/model.js';
import type { ParsedImport } from './import-item.js';

export interface ImportJob {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly kdbxPassword?: string;
  readonly requested?: ImportFormat;
}

export type ImportAnswer = { readonly ok: true; readonly parsed: ParsedImport } | { readonly ok: false; readonly code: string; readonly detail?: string };
