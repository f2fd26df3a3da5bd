/** The Activity page's line for an SSH signature's destination. */
import { describe, expect, it } from 'vitest';
import { sshDestination } from '../../src/renderer/lib/audit-destination.js';

describe('sshDestination', () => {
  it('names the user and the verified server key, says when the client stated none, and ignores other rows', () => {
    expect(sshDestination({ detail: { purpose: 'ssh-sign', key: 'SHA256:k', hostKey: 'SHA256:h', user: 'deploy' } })).toBe('SSH as deploy, server key SHA256:h');
    expect(sshDestination({ detail: { purpose: 'ssh-sign', key: 'SHA256:k' } })).toBe('SSH, server not stated by the SSH client');
    expect(sshDestination({ detail: { purpose: 'credential', host: 'github.com' } })).toBeUndefined();
    expect(sshDestination({ detail: null })).toBeUndefined();
  });
});
