import type { AuditRow } from '../../../shared/model.js';
import { sshDestination } from '../../lib/audit-destination.js';
import { formatDateTime } from '../../lib/format-time.js';

export interface Names {
  readonly tokens: ReadonlyMap<string, string>;
  readonly vaults: ReadonlyMap<string, string>;
  readonly entries: ReadonlyMap<string, string>;
}

function who(row: AuditRow, names: Names): string {
  if (row.actor === 'person') return 'You';
  if (row.actor === 'engine') return 'Valetkey';
  return row.agent ?? (row.tokenId ? (names.tokens.get(row.tokenId) ?? 'an agent') : 'unknown agent');
}

/** The audit rows, newest first. Values an agent sent (its name, its reason) are shown as text, never as markup. */
export function AuditTable({ rows, names }: { readonly rows: readonly AuditRow[]; readonly names: Names }) {
  return (
    <div className="table-wrap">
      <table className="table audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Where</th>
            <th scope="col">Reason</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} data-testid="audit-row" data-seq={r.seq} data-action={r.action} data-outcome={r.outcome}>
              <td className="muted small">{r.seq}</td>
              <td className="nowrap">{formatDateTime(r.ts)}</td>
              <td>
                {who(r, names)}
                <TokenLine row={r} names={names} />
              </td>
              <td>
                <code>{r.action}</code>
              </td>
              <td className="small">
                {r.vaultId !== null && (names.vaults.get(r.vaultId) ?? 'deleted vault')}
                {r.entryId !== null && <div className="muted">{names.entries.get(r.entryId) ?? `entry ${r.entryId.slice(0, 8)}`}</div>}
                {r.field !== null && <div className="muted">field {r.field}</div>}
                {sshDestination(r) !== undefined && (
                  <div className="muted" data-testid="audit-destination">
                    {sshDestination(r)}
                  </div>
                )}
              </td>
              <td className="reason">{r.reason ?? <span className="muted">—</span>}</td>
              <td>
                <span className={`outcome outcome-${r.outcome}`}>{r.outcome}</span>
                {r.errorCode !== null && <div className="muted small">{r.errorCode}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The token under the name, unless it only repeats the agent's name. */
function TokenLine({ row, names }: { readonly row: AuditRow; readonly names: Names }) {
  if (row.tokenId === null) return null;
  const token = names.tokens.get(row.tokenId) ?? `token ${row.tokenId.slice(0, 8)}`;
  if (token === who(row, names)) return null;
  return <div className="muted small">{token}</div>;
}
