/**
 * Where an SSH signature went, from its audit row: the user and the server's host key fingerprint
 * the engine verified (session-bind@openssh.com), for the person to compare with
 * `ssh-keygen -lf` or known_hosts. Agent-sent text is shown as text only.
 */
import type { AuditRow } from '../../shared/model.js';

export function sshDestination(row: Pick<AuditRow, 'detail'>): string | undefined {
  const d = row.detail;
  if (d === null || d.purpose !== 'ssh-sign') return undefined;
  const host = typeof d.hostKey === 'string' ? `server key ${d.hostKey}` : 'server not stated by the SSH client';
  return typeof d.user === 'string' ? `SSH as ${d.user}, ${host}` : `SSH, ${host}`;
}
