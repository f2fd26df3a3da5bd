/** createEntry with generateSshKey: the engine makes the Ed25519 key; the summary carries only the public line. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSshPrivateKey, publicKeyLine } from '../../../src/core/ssh/ssh-key.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';

describe('createEntry with generateSshKey', () => {
  let t: TestEngine;
  let vaultId = '';
  beforeAll(async () => {
    t = await openTestEngine();
    vaultId = (await t.admin.createVault({ grant: t.grant, vault: { name: 'Infra' } })).id;
  });
  afterAll(() => t.close());

  it('stores a new Ed25519 key whose public line is in the summary, and no private key in it', async () => {
    const summary = await t.admin.createEntry({ grant: t.grant, vaultId, entry: { title: 'Deploy', kind: 'ssh_key', fields: {} }, generateSshKey: { comment: 'deploy@ci' } });
    expect(summary.sshPublicKey).toMatch(/^ssh-ed25519 AAAA\S+ deploy@ci$/);
    expect(JSON.stringify(summary)).not.toContain('PRIVATE KEY');
    const entry = await t.admin.getEntry({ grant: t.grant, vaultId, entryId: summary.id });
    expect(publicKeyLine(parseSshPrivateKey(entry.fields.sshPrivateKey ?? ''))).toBe(summary.sshPublicKey);
  });

  it('refuses it for another kind, next to a pasted key, or with a comment that would break the line', async () => {
    const refused = (p: Parameters<TestEngine['admin']['createEntry']>[0]) => expect(t.admin.createEntry(p)).rejects.toMatchObject({ code: 'invalid_request' });
    await refused({ grant: t.grant, vaultId, entry: { title: 'A', kind: 'api_key', fields: { apiKey: 'x' } }, generateSshKey: {} });
    await refused({ grant: t.grant, vaultId, entry: { title: 'B', kind: 'ssh_key', fields: { sshPrivateKey: 'pasted' } }, generateSshKey: {} });
    await refused({ grant: t.grant, vaultId, entry: { title: 'C', kind: 'ssh_key', fields: {} }, generateSshKey: { comment: 'a\nssh-rsa AAAA evil' } });
  });
});
