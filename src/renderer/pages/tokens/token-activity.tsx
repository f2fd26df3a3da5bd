import { admin } from '../../api/admin.js';
import { Sparkline } from '../../components/activity-chart.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { bucketRows } from '../../lib/chart-buckets.js';

const DAYS = 7;
const BUCKETS = 28;

/** A token's last 7 days of requests (6-hour bars), from the audit log. */
export function TokenActivity({ tokenId, name }: { readonly tokenId: string; readonly name: string }) {
  const { data } = useAdminData(
    async () => {
      const until = Date.now();
      const since = until - DAYS * 86_400_000;
      const page = await admin.queryAudit({ tokenId, since, limit: 500 });
      return bucketRows(page.rows, since, until, BUCKETS);
    },
    [tokenId],
    ['audit.appended'],
  );
  if (data.state !== 'ok') return <span className="muted small">…</span>;
  return <Sparkline buckets={data.value} label={`${name}, last ${DAYS} days`} />;
}
