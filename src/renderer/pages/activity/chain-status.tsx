import { admin } from '../../api/admin.js';
import { useAdminData } from '../../hooks/use-admin-data.js';
import { errorText } from '../../lib/vk-error.js';
import { signedCoverageText } from '../../../shared/audit-coverage.js';

/**
 * The hash chain's verification: intact, or the first altered row. Checked again (debounced) as
 * rows arrive, so the count beside "intact" is the table's, not the one from when the page opened.
 * Verifying writes no row itself, so this cannot feed on its own events.
 */
export function ChainStatus() {
  const { data, reload } = useAdminData(() => admin.verifyAudit({}), [], ['audit.appended']);
  let text: string;
  let kind: 'ok' | 'bad' | 'pending';
  if (data.state === 'loading') {
    text = 'Checking the audit chain…';
    kind = 'pending';
  } else if (data.state === 'error') {
    text = `Could not check the chain: ${errorText(data.error)}`;
    kind = 'bad';
  } else if (data.value.ok) {
    text = `Chain intact: ${data.value.rowsChecked} rows and ${data.value.checkpointsChecked} signed checkpoints check out; ${signedCoverageText(data.value)}.`;
    kind = 'ok';
  } else {
    text = `Chain broken at row #${data.value.firstBadSeq ?? '?'}${data.value.problem ? `: ${data.value.problem}` : ''}. Rows from there on cannot be trusted.`;
    kind = 'bad';
  }
  return (
    <div className={`chain chain-${kind}`} role={kind === 'bad' ? 'alert' : 'status'} data-testid="chain-status" data-state={kind}>
      <span>{text}</span>
      <button type="button" className="button-small" onClick={reload} data-testid="chain-verify">
        Verify again
      </button>
    </div>
  );
}
