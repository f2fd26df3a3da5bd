/** Paged `queryAudit` calls (newest first, 500 rows a page), for the Activity chart. */
import type { AuditPage, AuditQuery, AuditRow } from '../../shared/model.js';

export const AUDIT_PAGE_SIZE = 500;

export type FetchAuditPage = (query: AuditQuery) => Promise<AuditPage>;

/** Every page the query matches, newest first; stops when the engine says there are no more. */
export async function* auditPages(fetchPage: FetchAuditPage, query: AuditQuery): AsyncGenerator<readonly AuditRow[]> {
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await fetchPage({ ...query, limit: AUDIT_PAGE_SIZE, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    if (page.rows.length > 0) yield page.rows;
    if (page.nextBeforeSeq === undefined || page.rows.length === 0) return;
    beforeSeq = page.nextBeforeSeq;
  }
}
