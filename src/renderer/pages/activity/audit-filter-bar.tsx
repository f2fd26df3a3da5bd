import { AUDIT_OUTCOMES, type TokenInfo, type VaultInfo } from '../../../shared/model.js';
import { VaultSelect } from '../../components/form-parts.js';
import { isOutcome, KNOWN_ACTIONS, TIME_RANGE_LABELS, TIME_RANGES, type AuditFilters, type TimeRange } from '../../lib/audit-filters.js';

/** Filters for the audit table and chart; every change applies (text after a short pause). */
export function AuditFilterBar({
  filters,
  onChange,
  tokens,
  vaults,
}: {
  readonly filters: AuditFilters;
  readonly onChange: (f: AuditFilters) => void;
  readonly tokens: readonly TokenInfo[];
  readonly vaults: readonly VaultInfo[];
}) {
  const set = (changes: Partial<AuditFilters>) => onChange({ ...filters, ...changes });
  const agents = [...new Set(tokens.map((t) => t.name))].sort();
  return (
    <form className="filter-bar" role="search" aria-label="Filter activity" onSubmit={(e) => e.preventDefault()}>
      <label className="field">
        <span>Search reasons</span>
        <input type="search" value={filters.search} onChange={(e) => set({ search: e.target.value })} data-testid="audit-search" />
      </label>
      <label className="field">
        <span>Agent</span>
        <input list="audit-agents" value={filters.agent} onChange={(e) => set({ agent: e.target.value })} data-testid="audit-agent" />
        <datalist id="audit-agents">
          {agents.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>Token</span>
        <select value={filters.tokenId} onChange={(e) => set({ tokenId: e.target.value })} data-testid="audit-token">
          <option value="">Any</option>
          {tokens.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.status.replace('_', ' ')})
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Vault</span>
        <VaultSelect value={filters.vaultId} vaults={vaults} noneLabel="Any" onChange={(vaultId) => set({ vaultId })} testId="audit-vault" />
      </label>
      <label className="field">
        <span>Action</span>
        <input list="audit-actions" value={filters.action} onChange={(e) => set({ action: e.target.value })} data-testid="audit-action" />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </label>
      <label className="field">
        <span>Outcome</span>
        <select value={filters.outcome} onChange={(e) => set({ outcome: isOutcome(e.target.value) ? e.target.value : '' })} data-testid="audit-outcome">
          <option value="">Any</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Time</span>
        <select value={filters.range} onChange={(e) => set({ range: e.target.value as TimeRange })} data-testid="audit-range">
          {TIME_RANGES.map((r) => (
            <option key={r} value={r}>
              {TIME_RANGE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      {filters.range === 'custom' && (
        <>
          <label className="field">
            <span>From</span>
            <input type="datetime-local" value={filters.from} onChange={(e) => set({ from: e.target.value })} data-testid="audit-from" />
          </label>
          <label className="field">
            <span>Until</span>
            <input type="datetime-local" value={filters.to} onChange={(e) => set({ to: e.target.value })} data-testid="audit-to" />
          </label>
        </>
      )}
    </form>
  );
}
