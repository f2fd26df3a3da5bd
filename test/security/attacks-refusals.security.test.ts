/**
 * docs/security.md attack 51: refusal rows are rate-limited per source, and a source is the
 * verified token, else the credential as presented, else the connection; never the whole
 * listener. One local caller flooding bad credentials cannot silence another caller's refusal
 * rows, nor any verified agent's; what a cap left out is counted on a later row.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient } from '../helpers/agent-client.js';
import { BANK_REF, GITHUB_REF, expectRefused, openAttackFixture, resolveRefs, type AttackFixture } from './attack-fixture.js';

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture();
});
afterAll(async () => {
  await fx.close();
});

const junk = (): string => `${randomBytes(24).toString('base64url')}.${randomBytes(24).toString('base64url')}.x`;

describe('refusal rows per source (51)', () => {
  it('attack 51: a flood of refusals under one made-up credential, then under hundreds, leaves another caller’s and a verified agent’s refusal rows written', async () => {
    const flooder = await AgentClient.create(fx.tcp);
    const bystander = await AgentClient.create(fx.tcp);
    const victim = await fx.enrolled({ vaults: [fx.accounting.id] });

    // One made-up credential, 100 times: its own bucket runs dry, nobody else's.
    const same = junk();
    const first = await fx.attempt(async () => {
      let last = await flooder.call('GET', '/v1/vaults', { token: same, scheme: 'Bearer' });
      for (let i = 0; i < 99; i++) last = await flooder.call('GET', '/v1/vaults', { token: same, scheme: 'Bearer' });
      return last;
    });
    expectRefused(first.res, 401, 'invalid_token');
    // 30 a minute per source (plus what refills while the flood runs): most are counted, not written.
    expect(first.rows.length).toBeGreaterThan(0);
    expect(first.rows.length).toBeLessThan(60);
    const other = await fx.attempt(() => bystander.call('GET', '/v1/vaults', { token: junk(), scheme: 'Bearer' }));
    expect(other.rows.map((r) => [r.outcome, r.errorCode])).toEqual([['refused', 'invalid_token']]);

    // Hundreds of made-up credentials: the cap on unverified sources holds the disk, and a
    // verified agent's refusal is still written.
    const rotated = await fx.attempt(async () => {
      let last = await flooder.call('GET', '/v1/vaults', { token: junk(), scheme: 'Bearer' });
      for (let i = 0; i < 400; i++) last = await flooder.call('GET', '/v1/vaults', { token: junk(), scheme: 'Bearer' });
      return last;
    });
    expect(rotated.rows.length).toBeLessThan(401);
    const verified = await fx.attempt(() => resolveRefs(victim.agent, victim.token, [GITHUB_REF]));
    expectRefused(verified.res, 403, 'insufficient_scope');
    expect(verified.rows.map((r) => [r.outcome, r.errorCode, r.tokenId])).toEqual([['refused', 'insufficient_scope', victim.tokenId]]);
    const allowed = await fx.attempt(() => resolveRefs(victim.agent, victim.token, [BANK_REF]));
    expect(allowed.res.status).toBe(200);

    // A minute later the next unverified row says how many the cap left out.
    fx.advance(60_000);
    const later = await fx.attempt(() => bystander.call('GET', '/v1/vaults', { token: junk(), scheme: 'Bearer' }));
    const [row] = later.rows;
    expect(row?.errorCode).toBe('invalid_token');
    expect(Number(row?.detail?.['suppressedOverall'] ?? 0)).toBeGreaterThan(0);
  });
});
