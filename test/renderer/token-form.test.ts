import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFESPAN_PRESETS } from '../../src/shared/model.js';
import { formFromTemplate, TEMPLATE_IDS, TOKEN_TEMPLATES, tokenFormProblems, toTokenInput, newVaultName, type TokenForm } from '../../src/renderer/lib/token-form.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

describe('token form problems', () => {
  const valid: TokenForm = { ...TOKEN_TEMPLATES.blank.form, name: 'agent', vaultIds: ['v1'] };

  it('accepts a complete form', () => {
    expect(tokenFormProblems(valid)).toEqual([]);
  });

  it.each<[string, Partial<TokenForm>, RegExp]>([
    ['no name', { name: '  ' }, /name/],
    ['a name over the limit', { name: 'n'.repeat(101) }, /101 characters long; the most is 100/],
    ['no vault', { vaultIds: [] }, /vault/],
    ['no action', { actions: [] }, /action/],
    ['a lifespan under 5 minutes', { lifespanSeconds: 60 }, /lifespan/],
    ['approval minutes out of range', { approval: 'once_per_token', approvalMinutes: 0 }, /Approval minutes/],
    ['max uses that is not a whole number', { maxUses: '2.5' }, /Max uses/],
    ['too many requests per minute', { requestsPerMinute: '10001' }, /Requests per minute/],
  ])('says what is wrong with %s', (_name, change, pattern) => {
    const problems = tokenFormProblems({ ...valid, ...change });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });

  it('the accounting template chooses the Accounting vault when there is one', () => {
    const vaults = [{ id: 'v1', name: 'Personal' }, { id: 'v2', name: 'Accounting' }];
    expect(formFromTemplate(TOKEN_TEMPLATES.accounting, vaults).vaultIds).toEqual(['v2']);
    expect(formFromTemplate(TOKEN_TEMPLATES.accounting, [{ id: 'v1', name: 'Personal' }]).vaultIds).toEqual([]);
    expect(formFromTemplate(TOKEN_TEMPLATES.oneoff, vaults).vaultIds).toEqual([]);
  });

  it('lets a new dedicated vault stand in for chosen ones, named after the agent by default', () => {
    const form = { ...valid, vaultIds: [], createVault: true, name: 'deployer' };
    expect(tokenFormProblems(form)).toEqual([]);
    expect(newVaultName(form)).toBe('deployer vault');
  });
});

describe('token form against the real engine', () => {
  let t: TestEngine;
  let grant: { readonly session: string };
  let vaultId: string;

  beforeAll(async () => {
    t = await openTestEngine();
    grant = { session: (await t.admin.openGrantSession({ passphrase: t.grant.passphrase })).session };
    vaultId = (await t.admin.createVault({ vault: { name: 'Work' }, grant })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(TEMPLATE_IDS)('the %s template makes a token the engine accepts as given', async (id) => {
    const form: TokenForm = { ...TOKEN_TEMPLATES[id].form, name: TOKEN_TEMPLATES[id].form.name || 'blank-agent', vaultIds: [vaultId], createVault: false };
    expect(tokenFormProblems(form)).toEqual([]);
    const created = await t.admin.createToken({ token: toTokenInput(form), grant });
    expect(created.enrollmentCode).toMatch(/^vke_/);
    const token = created.token;
    expect(token.vaultIds).toEqual([vaultId]);
    expect(token.actions).toEqual(form.actions);
    expect(token.binding).toBe('dpop');
    expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(form.lifespanSeconds * 1000);
    expect(token.maxUses).toBe(form.maxUses === '' ? null : Number(form.maxUses));
    expect(token.requestsPerMinute).toBe(form.requestsPerMinute === '' ? null : Number(form.requestsPerMinute));
    expect(token.approval).toEqual(form.approval === 'vault' ? 'vault' : form.approval === 'every_access' ? { mode: 'every_access' } : { mode: 'once_per_token', minutes: form.approvalMinutes });
  });

  it('includes a freshly made dedicated vault, and bearer only when chosen', async () => {
    const form: TokenForm = { ...TOKEN_TEMPLATES.coding.form, name: 'helper', binding: 'bearer', lifespanSeconds: LIFESPAN_PRESETS['1h'] };
    const vault = await t.admin.createVault({ vault: { name: newVaultName(form) }, grant });
    const { token } = await t.admin.createToken({ token: toTokenInput(form, vault.id), grant });
    expect(token.vaultIds).toEqual([vault.id]);
    expect(token.binding).toBe('bearer');
    expect(token.proxyOtherHosts).toBe('tunnel');
  });

  it('carries the person\'s choice for the HTTPS proxy\'s other hosts to the token', async () => {
    const vault = await t.admin.createVault({ vault: { name: 'Proxy choice' }, grant });
    const form: TokenForm = { ...TOKEN_TEMPLATES.blank.form, name: 'strict-agent', vaultIds: [vault.id], proxyOtherHosts: 'refuse' };
    const { token } = await t.admin.createToken({ token: toTokenInput(form), grant });
    expect(token.proxyOtherHosts).toBe('refuse');
  });
});
