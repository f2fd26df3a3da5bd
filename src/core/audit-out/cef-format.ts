/**
 * ArcSight Common Event Format (CEF:0), one event per line. Header fields escape \ and |;
 * extension values escape \ and = and write line breaks as \n. Key names are CEF's own where
 * one fits (rt, externalId, act, outcome, suser, cat, msg), else labelled custom strings, and the
 * detail object as the vendor key valetkeyDetail.
 */
import { isAlertRow, type AuditOutcome, type AuditRow } from '../../shared/model.js';
import type { ExportedRow } from './export-row.js';
import { lineSafeText } from '../../shared/line-safe.js';

const SEVERITY: Readonly<Record<AuditOutcome, number>> = { ok: 3, allowed: 3, refused: 6, error: 8 };
/** Tripwire alerts (`alert.*`) are high whatever their outcome: a person should look now. */
const ALERT_SEVERITY = 8;

function headerField(text: string): string {
  return lineSafeText(text.replace(/\\/g, '\\\\')).replace(/\|/g, '\\|');
}

function extValue(text: string): string {
  return lineSafeText(text.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r\n|\n/g, '\\n').replace(/\r/g, '\\r'));
}

/** Labelled custom strings: cs1..cs6 and flexString1..2, each with its label. */
const CUSTOM: readonly (readonly [string, string, (r: AuditRow) => string | null])[] = [
  ['cs1', 'vaultId', (r) => r.vaultId],
  ['cs2', 'entryId', (r) => r.entryId],
  ['cs3', 'field', (r) => r.field],
  ['cs4', 'tokenId', (r) => r.tokenId],
  ['cs5', 'keyThumbprint', (r) => r.keyThumbprint],
  ['cs6', 'approvalId', (r) => r.approvalId],
  ['flexString1', 'errorCode', (r) => r.errorCode],
  ['flexString2', 'chainHash', (r) => r.hash],
];

export function cefRow({ row }: ExportedRow, engineVersion: string): string {
  const header = ['CEF:0', 'Valetkey', 'Valetkey', engineVersion, row.action, `${row.action} ${row.outcome}`, String(isAlertRow(row) ? ALERT_SEVERITY : SEVERITY[row.outcome])];
  const ext: string[] = [`rt=${row.ts}`, `externalId=${row.seq}`, `cat=${extValue(row.actor)}`, `act=${extValue(row.action)}`, `outcome=${extValue(row.outcome)}`];
  if (row.agent !== null) ext.push(`suser=${extValue(row.agent)}`);
  if (row.reason !== null) ext.push(`msg=${extValue(row.reason)}`);
  for (const [key, label, get] of CUSTOM) {
    const v = get(row);
    if (v !== null) ext.push(`${key}Label=${label}`, `${key}=${extValue(v)}`);
  }
  // CEF has no dictionary key for free-form context; vendor keys are allowed (ArcSight CEF spec, "Custom extensions").
  if (row.detail !== null) ext.push(`valetkeyDetail=${extValue(JSON.stringify(row.detail))}`);
  return `${header.map(headerField).join('|')}|${ext.join(' ')}\n`;
}
