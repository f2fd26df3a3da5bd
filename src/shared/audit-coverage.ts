/** How far the signed audit head reaches, in the same words for the CLI, the dashboard and exports. */
import type { AuditVerification } from './model.js';

export function signedCoverageText(v: Pick<AuditVerification, 'signedThrough' | 'unsignedTail'>): string {
  const signed = v.signedThrough > 0 ? `signed through row ${v.signedThrough}` : 'no signed head yet';
  return v.unsignedTail === undefined ? signed : `${signed}; unsigned tail: rows ${v.unsignedTail.from}–${v.unsignedTail.to}`;
}
