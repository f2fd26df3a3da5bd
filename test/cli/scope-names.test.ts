import { describe, expect, it } from 'vitest';
import { readableScope } from '../../src/cli/agent/scope-names.js';

const VAULTS = [
  { id: 'vlt_01ACC', name: 'Accounting' },
  { id: 'vlt_01PER', name: 'Personal' },
];

describe('readableScope', () => {
  it('names vaults instead of ids, one item per vault with its actions', () => {
    expect(readableScope('vault:vlt_01ACC:read vault:vlt_01ACC:use vault:vlt_01PER:read', VAULTS)).toBe('Accounting (read, use), Personal (read)');
  });

  it('keeps entries apart from their vault, and refs the listing does not know as written', () => {
    expect(readableScope('entry:vlt_01PER/GitHub%20token:read vault:Team%20Ops:use vault:vlt_gone:read', VAULTS)).toBe('Personal / GitHub token (read), Team Ops (use), vlt_gone (read)');
  });

  it('shows a scope it cannot parse as it came', () => {
    expect(readableScope('not a scope', VAULTS)).toBe('not a scope');
  });
});
