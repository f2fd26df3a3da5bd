import { useEffect, useState } from 'react';
import type { AuditQuery } from '../../../shared/model.js';
import { admin } from '../../api/admin.js';
import { ActivityChart } from '../../components/activity-chart.js';
import { EmptyState } from '../../components/error-notice.js';
import { LoadedView } from '../../components/loaded.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { useDebounced } from '../../hooks/use-debounced.js';
import { chartSpan, EMPTY_FILTERS, toAuditQuery, type AuditFilters } from '../../lib/audit-filters.js';
import { auditPages } from '../../lib/audit-pages.js';
import { bucketRows } from '../../lib/chart-buckets.js';
import { AuditFilterBar } from './audit-filter-bar.js';
import { AuditTable, type Names } from './audit-table.js';
import { ChainStatus } from './chain-status.js';
import { ExportButtons } from './export-buttons.js';

const PAGE_SIZE = 50;
const CHART_BUCKETS = 48;
/** The chart counts at most this many rows (4 pages); beyond that it says so. */
const CHART_MAX_ROWS = 2000;

export function ActivityPage({ tokenId }: { readonly tokenId: string | undefined }) {
  const [filters, setFilters] = useState<AuditFilters>({ ...EMPTY_FILTERS, tokenId: tokenId ?? '' });
  useEffect(() => setFilters((f) => ({ ...f, tokenId: tokenId ?? '' })), [tokenId]);
  const applied = useDebounced(filters, 300);
  const [cursors, setCursors] = useState<readonly number[]>([]);
  useEffect(() => setCursors([]), [applied]);
  const beforeSeq = cursors[cursors.length - 1];
  const names = useNames();

  const table = useAdminData(
    () => admin.queryAudit({ ...toAuditQuery(applied, Date.now()), limit: PAGE_SIZE, ...(beforeSeq === undefined ? {} : { beforeSeq }) }),
    [applied, beforeSeq],
    // Live on the newest page; older pages hold still while you read them.
    beforeSeq === undefined ? ['audit.appended'] : [],
  );
  const chart = useChartData(applied);

  return (
    <div className="stack">
      <header className="row spread">
        <h1>Activity</h1>
        <ExportButtons query={() => toAuditQuery(applied, Date.now())} />
      </header>
      <ChainStatus />
      <AuditFilterBar filters={filters} onChange={setFilters} tokens={names.tokenList} vaults={names.vaultList} />
      <LoadedView data={chart.data}>{(c) => <ActivityChartWithNote {...c} />}</LoadedView>
      <LoadedView data={table.data} onRetry={table.reload}>
        {(page) =>
          page.rows.length === 0 ? (
            <EmptyState title="No activity matches" testId="audit-empty">
              <p>Widen the time range or clear a filter. Agents’ requests, your changes and every refusal appear here as they happen.</p>
            </EmptyState>
          ) : (
            <>
              <AuditTable rows={page.rows} names={names} />
              <nav className="row pager" aria-label="Pages">
                <button type="button" disabled={cursors.length === 0} onClick={() => setCursors([])} data-testid="audit-newest">
                  Newest
                </button>
                <button type="button" disabled={cursors.length === 0} onClick={() => setCursors((c) => c.slice(0, -1))} data-testid="audit-newer">
                  Newer
                </button>
                <button
                  type="button"
                  disabled={page.nextBeforeSeq === undefined}
                  onClick={() => page.nextBeforeSeq !== undefined && setCursors((c) => [...c, page.nextBeforeSeq as number])}
                  data-testid="audit-older"
                >
                  Older
                </button>
              </nav>
            </>
          )
        }
      </LoadedView>
    </div>
  );
}

function ActivityChartWithNote({ buckets, capped }: { readonly buckets: ReturnType<typeof bucketRows>; readonly capped: boolean }) {
  return (
    <>
      <ActivityChart buckets={buckets} />
      {capped && <p className="muted small">The chart counts the newest {CHART_MAX_ROWS} matching rows; narrow the time range to see all of it.</p>}
    </>
  );
}

function useChartData(filters: AuditFilters) {
  return useAdminData(
    async () => {
      const now = Date.now();
      const query: AuditQuery = toAuditQuery(filters, now);
      const rows = [];
      for await (const page of auditPages((q) => admin.queryAudit(q), query)) {
        rows.push(...page);
        if (rows.length >= CHART_MAX_ROWS) break;
      }
      const { since, until } = chartSpan(filters, now, rows[rows.length - 1]?.ts);
      return { buckets: bucketRows(rows, since, until, CHART_BUCKETS), capped: rows.length >= CHART_MAX_ROWS };
    },
    [filters],
    ['audit.appended'],
  );
}

function useNames(): Names & { readonly tokenList: Awaited<ReturnType<typeof admin.listTokens>>; readonly vaultList: Awaited<ReturnType<typeof admin.listVaults>> } {
  const tokens = useAdminData(() => admin.listTokens({ status: 'all' }), [], ['tokens.changed']);
  const vaults = useAdminData(() => admin.listVaults({}), [], ['vaults.changed']);
  const entries = useAdminData(() => admin.listEntries({}), [], ['vaults.changed']);
  const tokenList = tokens.data.state === 'ok' ? tokens.data.value : [];
  const vaultList = vaults.data.state === 'ok' ? vaults.data.value : [];
  const entryList = entries.data.state === 'ok' ? entries.data.value : [];
  return {
    tokenList,
    vaultList,
    tokens: new Map(tokenList.map((t) => [t.id, t.name])),
    vaults: new Map(vaultList.map((v) => [v.id, v.name])),
    entries: new Map(entryList.map((e) => [e.id, e.title])),
  };
}
