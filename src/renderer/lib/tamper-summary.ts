import type { TamperedRecord } from '../../shared/model.js';

const TABLE_WORDS: Readonly<Record<string, string>> = {
  vaults: 'vault put back from an earlier copy (check its settings and save it again)',
  entries: 'entry put back from an earlier copy (check it and save it again)',
  tokens: 'token',
  device_requests: 'device request',
  approvals: 'approval',
  audit_sinks: 'audit stream',
  settings: 'setting',
  audit_head: 'audit log end',
  proxy_ca: 'HTTPS proxy CA certificate (replaced with Valetkey’s own)',
};

/** One sentence for the banner, or undefined when nothing was tampered with. */
export function tamperSummary(tampered: readonly TamperedRecord[]): string | undefined {
  if (tampered.length === 0) return undefined;
  const names = tampered.map((t) => `${TABLE_WORDS[t.table] ?? t.table} ${t.rowId}`).join(', ');
  return `Changed outside Valetkey, so ${tampered.length === 1 ? 'it grants' : 'they grant'} nothing: ${names}. Another program writing to Valetkey's files did this; check the Activity log, revoke what it names and re-grant it.`;
}
