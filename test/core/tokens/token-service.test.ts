import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tokenHandlers } from '../../../src/core/tokens/token-handlers.js';
import { parseScope } from '../../../src/core/auth/scopes.js';
import { ENROLLMENT_CODE_TTL_MS } from '../../../src/core/tokens/enrollment-code.js';
import type { TokenServiceImpl } from '../../../src/core/tokens/token-service.js';
import { agentKey, errorCode, openTokenFixture, START, syncErrorCode, tokenInput, type TokenFixture } from './token-fixture.js';
import { parsedCall } from '../../helpers/parsed-call.js';

let fx: TokenFixture;

describe('create refuses bad input', () => {
  // Refusals create nothing, so one engine serves the whole table (opening one costs a KDF run).
  beforeAll(async () => {
    fx = await openTokenFixture();
  });
  afterAll(async () => {
    await fx.close();
  });

  it.each([
    ['an empty name', { name: '' }, 'invalid_request'],
    ['a name with a control character', { name: 'bot\u0007' }, 'invalid_request'],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 'invalid_request'],
    ['no vaults', { vaults: [] }, 'invalid_request'],
    ['an unknown vault', { vaults: ['Nope'] }, 'not_found'],
    ['no actions', { actions: [] }, 'invalid_request'],
    ['a write action', { actions: ['write'] }, 'invalid_request'],
    ['a lifespan under 5 minutes', { lifespanSeconds: 299 }, 'invalid_request'],
    ['a lifespan over a year', { lifespanSeconds: 365 * 86400 + 1 }, 'invalid_request'],
    ['a fractional lifespan', { lifespanSeconds: 3600.5 }, 'invalid_request'],
    ['a bad approval', { approval: { mode: 'sometimes' } }, 'invalid_request'],
    ['zero max uses', { maxUses: 0 }, 'invalid_request'],
    ['a rate of 10001 per minute', { requestsPerMinute: 10_001 }, 'invalid_request'],
    ['an unknown binding', { binding: 'none' }, 'invalid_request'],
    ['an unknown entry', { entries: [{ vault: 'Accounting', entry: 'Nope' }] }, 'not_found'],
    ['an entry outside the chosen vaults', { entries: [{ vault: 'Personal', entry: 'GitHub' }] }, 'invalid_request'],
  ])('refuses %s', async (_what, overrides, code) => {
    expect(await errorCode(fx.tokens.create(tokenInput(fx, overrides as never)))).toBe(code);
    expect(fx.tokens.list('all')).toEqual([]);
  });
});

describe('with a fresh engine per test', () => {
  beforeEach(async () => {
    fx = await openTokenFixture();
  });
  afterEach(async () => {
    await fx.close();
  });

  /** Create, then enroll with a fresh key: a token as an agent holds it. */
  async function enrolled(tokens: TokenServiceImpl = fx.tokens, overrides = {}) {
    const created = await tokens.create(tokenInput(fx, overrides));
    const key = await agentKey();
    const issued = await tokens.enroll(created.enrollmentCode, created.token.name, key.jkt);
    return { created, key, issued, record: tokens.record(issued.tokenId)! };
  }

  describe('create', () => {
    it('resolves vaults by name or id into a canonical scope of ids, and returns a one-time code', async () => {
      const created = await fx.tokens.create(tokenInput(fx, { vaults: ['accounting', fx.personal.id, 'Accounting'], actions: ['use', 'read'] }));
      const { accounting: a, personal: p } = fx;
      expect(created.token.scope).toBe(`vault:${a.id}:read vault:${a.id}:use vault:${p.id}:read vault:${p.id}:use`);
      expect(created.token).toMatchObject({ name: 'accounting-bot', origin: 'app', status: 'pending_enrollment', binding: 'dpop', approval: 'vault' });
      expect(created.token.vaultIds).toEqual([a.id, p.id]);
      expect(created.token.actions).toEqual(['read', 'use']);
      expect(created.token.id).toMatch(/^[a-z2-7]{26}$/);
      expect(created.token.expiresAt).toBe(new Date(START + 3600_000).toISOString());
      expect(created.enrollmentCode).toMatch(/^vke_[A-Za-z0-9_-]{32}$/);
      expect(created.enrollmentExpiresAt).toBe(new Date(START + ENROLLMENT_CODE_TTL_MS).toISOString());
      expect(fx.events).toContainEqual({ type: 'tokens.changed' });
    });

    it('narrows to entries named by title or id, per vault, and keeps whole vaults that were not narrowed', async () => {
      const created = await fx.tokens.create(
        tokenInput(fx, {
          vaults: ['Accounting', 'Personal'],
          actions: ['use'],
          entries: [{ vault: 'Accounting', entry: 'payroll' }, { vault: fx.accounting.id, entry: fx.bank.id }],
        }),
      );
      const { accounting: a, personal: p } = fx;
      expect(created.token.scope).toBe(`entry:${a.id}/${fx.payroll.id}:use entry:${a.id}/${fx.bank.id}:use vault:${p.id}:use`);
    });

    it('keeps the settings: approval override, limits, bearer binding', async () => {
      const created = await fx.tokens.create(
        tokenInput(fx, { approval: { mode: 'once_per_token', minutes: 10 }, maxUses: 5, requestsPerMinute: 30, binding: 'bearer' }),
      );
      expect(created.token).toMatchObject({ approval: { mode: 'once_per_token', minutes: 10 }, maxUses: 5, requestsPerMinute: 30, binding: 'bearer', uses: 0 });
    });

    it('audits the creation with the scope and settings, never the code', async () => {
      const created = await fx.tokens.create(tokenInput(fx));
      const [row] = await fx.auditRows('token.create');
      expect(row).toMatchObject({ actor: 'person', outcome: 'ok', tokenId: created.token.id });
      expect(row?.detail).toMatchObject({ name: 'accounting-bot', scope: created.token.scope, lifespanSeconds: 3600, binding: 'dpop', approval: 'vault' });
      expect(JSON.stringify(row)).not.toContain(created.enrollmentCode);
    });

    it('names the vault it could not find', async () => {
      await expect(fx.tokens.create(tokenInput(fx, { vaults: ['Accounting', 'Taxes'] }))).rejects.toThrow(/"Taxes"/);
    });

    it('accepts the lifespan bounds exactly', async () => {
      expect((await fx.tokens.create(tokenInput(fx, { lifespanSeconds: 300 }))).token.expiresAt).toBe(new Date(START + 300_000).toISOString());
      await fx.tokens.create(tokenInput(fx, { lifespanSeconds: 365 * 86400 }));
    });
  });

  describe('enroll', () => {
    it('issues a DPoP-bound access token for the agent key, and marks the token active', async () => {
      const { created, key, issued } = await enrolled();
      expect(issued).toMatchObject({ tokenType: 'DPoP', expiresIn: 3600, scope: created.token.scope, tokenId: created.token.id });
      const claims = await fx.verify(issued.accessToken);
      expect(claims).toMatchObject({ sub: 'accounting-bot', client_id: 'accounting-bot', jti: created.token.id, scope: created.token.scope });
      expect(claims.cnf).toEqual({ jkt: key.jkt });
      expect(claims.vk_bearer).toBeUndefined();
      expect(claims.exp - claims.iat).toBe(3600);
      const [info] = fx.tokens.list('active');
      expect(info).toMatchObject({ status: 'active', keyThumbprint: key.jkt, enrolledAt: new Date(START).toISOString() });
      const [row] = await fx.auditRows('token.enroll');
      expect(row).toMatchObject({ actor: 'agent', agent: 'accounting-bot', tokenId: created.token.id, keyThumbprint: key.jkt });
      expect(JSON.stringify(row)).not.toContain(issued.accessToken);
    });

    it('counts the lifespan from creation', async () => {
      const created = await fx.tokens.create(tokenInput(fx));
      fx.clock.now += 600_000;
      const issued = await fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt);
      expect(issued.expiresIn).toBe(3000);
    });

    it('issues a labelled bearer token when the person chose bearer', async () => {
      const created = await fx.tokens.create(tokenInput(fx, { binding: 'bearer' }));
      const issued = await fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', null);
      expect(issued.tokenType).toBe('Bearer');
      const claims = await fx.verify(issued.accessToken);
      expect(claims.vk_bearer).toBe(true);
      expect(claims.cnf).toBeUndefined();
    });
  });

  describe('list', () => {
    it('derives each status and filters by it, newest first', async () => {
      const pending = await fx.tokens.create(tokenInput(fx, { name: 'pending' }));
      fx.clock.now += 1000;
      const active = await enrolled(fx.tokens, { name: 'active' });
      fx.clock.now += 1000;
      const revoked = await fx.tokens.create(tokenInput(fx, { name: 'revoked' }));
      await fx.tokens.revoke(revoked.token.id, 'test');
      fx.clock.now += 1000;
      const short = await enrolled(fx.tokens, { name: 'short', lifespanSeconds: 300 });
      fx.clock.now += 301_000;
      const names = (status: 'active' | 'expired' | 'revoked' | 'all') => fx.tokens.list(status).map((t) => `${t.name}:${t.status}`);
      expect(names('all')).toEqual(['short:expired', 'revoked:revoked', 'active:active', 'pending:pending_enrollment']);
      expect(names('active')).toEqual(['active:active', 'pending:pending_enrollment']);
      expect(names('expired')).toEqual(['short:expired']);
      expect(names('revoked')).toEqual(['revoked:revoked']);
      expect(short.record.id).not.toBe(active.record.id);
      expect(pending.token.status).toBe('pending_enrollment');
    });

    it('shows a token whose code ran out unredeemed as expired', async () => {
      await fx.tokens.create(tokenInput(fx));
      fx.clock.now += ENROLLMENT_CODE_TTL_MS;
      expect(fx.tokens.list('all').map((t) => t.status)).toEqual(['expired']);
    });

    it('reloads every token from the database in a new service', async () => {
      const { record } = await enrolled();
      const again = fx.makeService();
      expect(again.record(record.id)).toMatchObject({ id: record.id, jkt: record.jkt, scopeText: record.scopeText, enrolledAt: START });
      expect(again.list('all').map((t) => t.id)).toEqual([record.id]);
    });
  });

  describe('revoke', () => {
    it('is in force before the call returns, and cascades to exchanged children and grandchildren', async () => {
      const root = await enrolled();
      const child = await fx.tokens.exchange(root.record, { actorName: 'child', jkt: (await agentKey()).jkt });
      const grandchild = await fx.tokens.exchange(fx.tokens.record(child.tokenId)!, { actorName: 'grandchild', jkt: (await agentKey()).jkt });
      const sibling = await enrolled(fx.tokens, { name: 'other' });

      const pending = fx.tokens.revoke(root.record.id, 'leaked');
      // No await yet: the in-memory records the endpoint checks already say revoked.
      for (const id of [root.record.id, child.tokenId, grandchild.tokenId]) expect(fx.tokens.record(id)?.revokedAt).toBe(START);
      expect(await pending).toBe(3);
      expect(fx.tokens.record(sibling.record.id)?.revokedAt).toBeNull();
      expect(fx.revokedCallbacks.map((ids) => [...ids].sort())).toEqual([[root.record.id, child.tokenId, grandchild.tokenId].sort()]);
      const [row] = await fx.auditRows('token.revoke');
      expect(row).toMatchObject({ actor: 'person', tokenId: root.record.id, detail: { reason: 'leaked', revoked: 3 } });
      expect(fx.makeService().list('revoked').map((t) => t.id).sort()).toEqual([root.record.id, child.tokenId, grandchild.tokenId].sort());
    });

    it('revokes only the subtree of a middle token', async () => {
      const root = await enrolled();
      const child = await fx.tokens.exchange(root.record, { actorName: 'child', jkt: (await agentKey()).jkt });
      const grandchild = await fx.tokens.exchange(fx.tokens.record(child.tokenId)!, { actorName: 'grandchild', jkt: (await agentKey()).jkt });
      expect(await fx.tokens.revoke(child.tokenId, 'test')).toBe(2);
      expect(fx.tokens.record(root.record.id)?.revokedAt).toBeNull();
      expect(fx.tokens.record(grandchild.tokenId)?.revokedAt).toBe(START);
      expect(await fx.tokens.revoke(child.tokenId, 'again')).toBe(0);
    });

    it('refuses an unknown id with not_found', async () => {
      expect(await errorCode(fx.tokens.revoke('aaaaaaaaaaaaaaaaaaaaaaaaaa', 'x'))).toBe('not_found');
    });

    it('revokeAll revokes every active and pending token, not the expired ones', async () => {
      await enrolled(fx.tokens, { name: 'short', lifespanSeconds: 300 });
      fx.clock.now += 301_000;
      const a = await enrolled(fx.tokens, { name: 'a' });
      const b = await fx.tokens.create(tokenInput(fx, { name: 'b' }));
      expect(await fx.tokens.revokeAll('panic')).toBe(2);
      expect(fx.tokens.record(a.record.id)?.revokedAt).toBe(fx.clock.now);
      expect(fx.tokens.record(b.token.id)?.revokedAt).toBe(fx.clock.now);
      expect(fx.tokens.list('active')).toEqual([]);
      expect(await errorCode(fx.tokens.enroll(b.enrollmentCode, 'b', (await agentKey()).jkt))).toBe('invalid_grant');
      const [row] = await fx.auditRows('token.revoke_all');
      expect(row?.detail).toMatchObject({ revoked: 2 });
    });
  });

  describe('exchange', () => {
    it('issues a narrower token bound to the sub-agent key, with the act chain', async () => {
      const root = await enrolled(fx.tokens, { vaults: ['Accounting', 'Personal'], actions: ['read', 'use'], approval: { mode: 'every_access' } });
      const subKey = await agentKey();
      const child = await fx.tokens.exchange(root.record, { scope: 'vault:Accounting:use', actorName: 'ocr-helper', jkt: subKey.jkt });
      expect(child).toMatchObject({ tokenType: 'DPoP', scope: `vault:${fx.accounting.id}:use` });
      const claims = await fx.verify(child.accessToken);
      expect(claims).toMatchObject({ sub: 'accounting-bot', client_id: 'ocr-helper', scope: `vault:${fx.accounting.id}:use`, cnf: { jkt: subKey.jkt } });
      expect(claims.act).toEqual({ sub: 'ocr-helper', client_id: 'ocr-helper' });
      const record = fx.tokens.record(child.tokenId)!;
      expect(record).toMatchObject({ origin: 'exchange', parentId: root.record.id, actors: ['ocr-helper'], approval: { mode: 'every_access' }, binding: 'dpop' });

      const grand = await fx.tokens.exchange(record, { scope: `entry:${fx.accounting.id}/Bank:use`, actorName: 'ocr-sub', jkt: (await agentKey()).jkt });
      const grandClaims = await fx.verify(grand.accessToken);
      expect(grandClaims.scope).toBe(`entry:${fx.accounting.id}/${fx.bank.id}:use`);
      expect(grandClaims.act).toEqual({ sub: 'ocr-sub', client_id: 'ocr-sub', act: { sub: 'ocr-helper', client_id: 'ocr-helper' } });
      expect(fx.tokens.record(grand.tokenId)?.actors).toEqual(['ocr-sub', 'ocr-helper']);
      const rows = await fx.auditRows('token.exchange');
      expect(rows.map((r) => [r.agent, r.detail?.['actor']])).toEqual([['ocr-helper', 'ocr-sub'], ['accounting-bot', 'ocr-helper']]);
    });

    it('defaults to the whole scope and the remaining life, and caps a longer life at the subject expiry', async () => {
      const root = await enrolled();
      fx.clock.now += 600_000;
      const same = await fx.tokens.exchange(root.record, { actorName: 'sub', jkt: (await agentKey()).jkt });
      expect(same).toMatchObject({ scope: root.record.scopeText, expiresIn: 3000 });
      const longer = await fx.tokens.exchange(root.record, { actorName: 'sub', jkt: (await agentKey()).jkt, lifespanSeconds: 365 * 86400 });
      expect((await fx.verify(longer.accessToken)).exp).toBe(Math.floor(root.record.expiresAt / 1000));
      const shorter = await fx.tokens.exchange(root.record, { actorName: 'sub', jkt: (await agentKey()).jkt, lifespanSeconds: 60 });
      expect(shorter.expiresIn).toBe(60);
    });

    it('inherits limits, and uses by a child count against its parent', async () => {
      const root = await enrolled(fx.tokens, { maxUses: 3 });
      const child = await fx.tokens.exchange(root.record, { actorName: 'sub', jkt: (await agentKey()).jkt });
      expect(fx.tokens.record(child.tokenId)?.maxUses).toBe(3);
      fx.tokens.consume(child.tokenId, fx.clock.now);
      fx.tokens.consume(child.tokenId, fx.clock.now);
      fx.tokens.consume(root.record.id, fx.clock.now);
      expect(syncErrorCode(() => fx.tokens.consume(child.tokenId, fx.clock.now))).toBe('token_limit_reached');
      expect(syncErrorCode(() => fx.tokens.consume(root.record.id, fx.clock.now))).toBe('token_limit_reached');
    });
  });

  describe('issueForDevice', () => {
    it('stores an enrolled, key-bound token for an approved device request and issues it', async () => {
      const key = await agentKey();
      const issued = await fx.tokens.issueForDevice({ name: 'cli', scope: parseScope('vault:Personal:read vault:Personal:read'), lifespanSeconds: 900, jkt: key.jkt });
      expect(issued).toMatchObject({ tokenType: 'DPoP', expiresIn: 900, scope: `vault:${fx.personal.id}:read` });
      expect((await fx.verify(issued.accessToken)).cnf).toEqual({ jkt: key.jkt });
      expect(fx.tokens.record(issued.tokenId)).toMatchObject({ origin: 'device', jkt: key.jkt, enrolledAt: START, approval: 'vault' });
      expect(fx.tokens.list('active').map((t) => t.status)).toEqual(['active']);
      expect(await fx.auditRows('token.issue')).toHaveLength(1);
    });
  });

  describe('consume', () => {
    it('counts uses durably and stops at maxUses', async () => {
      const { record } = await enrolled(fx.tokens, { maxUses: 2 });
      fx.tokens.consume(record.id, fx.clock.now);
      fx.tokens.consume(record.id, fx.clock.now + 1);
      expect(syncErrorCode(() => fx.tokens.consume(record.id, fx.clock.now + 2))).toBe('token_limit_reached');
      // A restart must not hand out the uses again.
      const again = fx.makeService();
      expect(again.record(record.id)).toMatchObject({ uses: 2, lastUsedAt: fx.clock.now + 1 });
      expect(syncErrorCode(() => again.consume(record.id, fx.clock.now + 3))).toBe('token_limit_reached');
    });

    it('limits requests per minute over a sliding window', async () => {
      const { record } = await enrolled(fx.tokens, { requestsPerMinute: 3 });
      const t0 = fx.clock.now;
      for (const dt of [0, 10_000, 20_000]) fx.tokens.consume(record.id, t0 + dt);
      expect(syncErrorCode(() => fx.tokens.consume(record.id, t0 + 59_999))).toBe('rate_limited');
      fx.tokens.consume(record.id, t0 + 60_001); // the first request left the window
      expect(syncErrorCode(() => fx.tokens.consume(record.id, t0 + 60_002))).toBe('rate_limited');
      expect(fx.tokens.record(record.id)?.uses).toBe(4);
    });

    it('writes unlimited use counts behind, on flush', async () => {
      const { record } = await enrolled();
      for (let i = 0; i < 5; i += 1) fx.tokens.consume(record.id, fx.clock.now + i);
      fx.tokens.flush();
      expect(fx.makeService().list('all')[0]).toMatchObject({ uses: 5, lastUsedAt: new Date(fx.clock.now + 4).toISOString() });
    });
  });

  describe('admin handlers', () => {
    it('create, list, revoke and revoke all through the handler table', async () => {
      const handlers = tokenHandlers({ tokens: fx.tokens, tripwires: fx.t.engine.tripwires });
      const ctx = { via: 'in-process', personPresent: false } as const;
      const created = await parsedCall(handlers, 'createToken', { token: tokenInput(fx) }, ctx);
      await parsedCall(handlers, 'createToken', { token: tokenInput(fx, { name: 'second' }) }, ctx);
      expect((await parsedCall(handlers, 'listTokens', {}, ctx)).map((t) => t.name).sort()).toEqual(['accounting-bot', 'second']);
      expect(await parsedCall(handlers, 'revokeToken', { tokenId: created.token.id }, ctx)).toEqual({ revoked: 1 });
      expect((await parsedCall(handlers, 'listTokens', { status: 'revoked' }, ctx)).map((t) => t.id)).toEqual([created.token.id]);
      expect(await parsedCall(handlers, 'revokeAllTokens', {}, ctx)).toEqual({ revoked: 1 });
      expect(await errorCode(parsedCall(handlers, 'listTokens', { status: 'bogus' }, ctx))).toBe('invalid_request');
      expect(await errorCode(parsedCall(handlers, 'createToken', {}, ctx))).toBe('invalid_request');
      expect(await errorCode(parsedCall(handlers, 'revokeToken', {}, ctx))).toBe('invalid_request');
    });
  });
});
