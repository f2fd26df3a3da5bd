/**
 * Attacks on valet-key tokens: stolen or replayed enrollment codes, redeem races, wrong keys and
 * names, scope widening through exchange, revocation races, forged self-revocations, and limits.
 * Each says what happened to the token and to the audit log.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueAccessToken } from '../../../src/core/auth/access-token.js';
import { ENROLLMENT_CODE_TTL_MS } from '../../../src/core/tokens/enrollment-code.js';
import { tokenClaims } from '../../../src/core/tokens/token-claims.js';
import { VkError } from '../../../src/shared/errors.js';
import { makeTokenKey } from '../auth/jwt-forge.js';
import { agentKey, errorCode, ISSUER, openTokenFixture, syncErrorCode, tokenInput, type TokenFixture } from './token-fixture.js';

let fx: TokenFixture;
beforeEach(async () => {
  fx = await openTokenFixture();
});
afterEach(async () => {
  await fx.close();
});

async function enrolled(overrides = {}) {
  const created = await fx.tokens.create(tokenInput(fx, overrides));
  const key = await agentKey();
  const issued = await fx.tokens.enroll(created.enrollmentCode, created.token.name, key.jkt);
  return { created, key, issued, record: fx.tokens.record(issued.tokenId)! };
}

/** The database file and its WAL, as bytes an attacker with the data directory could read. */
function databaseBytes(): Buffer {
  const file = fx.t.engine.paths.database;
  return Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]);
}

function tokensRow(id: string): Record<string, unknown> {
  return fx.t.engine.db.prepare('SELECT * FROM tokens WHERE id = ?').get(id) as Record<string, unknown>;
}

describe('enrollment codes', () => {
  it('are stored only as a SHA-256 hash, cleared once redeemed; access tokens are never stored', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    expect(databaseBytes().includes(created.enrollmentCode)).toBe(false);
    const hash = createHash('sha256').update(created.enrollmentCode).digest('hex');
    expect(tokensRow(created.token.id)['enrollment_hash']).toBe(hash);

    const issued = await fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt);
    expect(tokensRow(created.token.id)['enrollment_hash']).toBeNull();
    const bytes = databaseBytes();
    expect(bytes.includes(created.enrollmentCode)).toBe(false);
    expect(bytes.includes(issued.accessToken)).toBe(false);
    expect(bytes.includes(issued.accessToken.split('.')[2] ?? 'x')).toBe(false); // not even the signature
    const audit = JSON.stringify((await fx.t.admin.queryAudit({ limit: 500 })).rows);
    expect(audit).not.toContain(created.enrollmentCode);
    expect(audit).not.toContain(issued.accessToken);
  });

  it('are single use: a second redeem is invalid_grant and the token keeps the first key', async () => {
    const { created, key } = await enrolled();
    const thief = await agentKey();
    expect(await errorCode(fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', thief.jkt))).toBe('invalid_grant');
    expect(fx.tokens.record(created.token.id)?.jkt).toBe(key.jkt);
    expect(await fx.auditRows('token.enroll')).toHaveLength(1);
  });

  it('cannot be redeemed twice by two concurrent redeems', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    const keys = [await agentKey(), await agentKey()];
    const results = await Promise.allSettled(keys.map((k) => fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', k.jkt)));
    const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(won).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected');
    expect((lost?.reason as VkError).code).toBe('invalid_grant');
    expect(fx.tokens.record(created.token.id)?.jkt).toBe(keys[won[0]!]!.jkt);
  });

  it('cannot be redeemed twice by two engines racing on the same database (the UPDATE is the guard)', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    const other = fx.makeService(); // its own memory; only the database is shared
    const results = await Promise.allSettled([
      fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt),
      other.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('expire after 15 minutes', async () => {
    const early = await fx.tokens.create(tokenInput(fx, { name: 'early' }));
    const late = await fx.tokens.create(tokenInput(fx, { name: 'late' }));
    fx.clock.now += ENROLLMENT_CODE_TTL_MS - 1;
    await fx.tokens.enroll(early.enrollmentCode, 'early', (await agentKey()).jkt);
    fx.clock.now += 1;
    expect(await errorCode(fx.tokens.enroll(late.enrollmentCode, 'late', (await agentKey()).jkt))).toBe('invalid_grant');
    expect(fx.tokens.record(late.token.id)?.jkt).toBeNull();
  });

  it('of a revoked token are dead', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    await fx.tokens.revoke(created.token.id, 'changed my mind');
    expect(await errorCode(fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt))).toBe('invalid_grant');
    expect(tokensRow(created.token.id)['enrollment_hash']).toBeNull();
  });

  it.each([['', 'empty'], ['vke_short', 'short'], ['x'.repeat(100_000), 'huge'], [null, 'not a string']])('refuse garbage (%#: %s)', async (code, _label) => {
    expect(await errorCode(fx.tokens.enroll(code as string, 'accounting-bot', null))).toBe('invalid_grant');
  });

  it('refuse a near miss of a real code', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    const code = created.enrollmentCode;
    const flipped = code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
    expect(await errorCode(fx.tokens.enroll(flipped, 'accounting-bot', (await agentKey()).jkt))).toBe('invalid_grant');
  });

  it('need the client_id to be the token name; a mismatch burns nothing', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    const key = await agentKey();
    expect(await errorCode(fx.tokens.enroll(created.enrollmentCode, 'someone-else', key.jkt))).toBe('invalid_client');
    expect(await errorCode(fx.tokens.enroll(created.enrollmentCode, 'Accounting-Bot', key.jkt))).toBe('invalid_client');
    await fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', key.jkt);
  });

  it('of a key-bound token need a key; of a bearer token refuse one; neither burns the code', async () => {
    const bound = await fx.tokens.create(tokenInput(fx, { name: 'bound' }));
    expect(await errorCode(fx.tokens.enroll(bound.enrollmentCode, 'bound', null))).toBe('invalid_request');
    expect(await errorCode(fx.tokens.enroll(bound.enrollmentCode, 'bound', 'not-a-thumbprint'))).toBe('invalid_request');
    await fx.tokens.enroll(bound.enrollmentCode, 'bound', (await agentKey()).jkt);

    const bearer = await fx.tokens.create(tokenInput(fx, { name: 'bearer', binding: 'bearer' }));
    expect(await errorCode(fx.tokens.enroll(bearer.enrollmentCode, 'bearer', (await agentKey()).jkt))).toBe('invalid_request');
    expect((await fx.tokens.enroll(bearer.enrollmentCode, 'bearer', null)).tokenType).toBe('Bearer');
  });

  it('survive a locked engine: nothing is issued and the code still works after unlock', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    const locked = fx.makeService({ signer: () => { throw new VkError('vault_locked'); } });
    expect(await errorCode(locked.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt))).toBe('vault_locked');
    await fx.tokens.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt);
  });

  it('no log, no token: if the audit row cannot be written, nothing is issued and the token is revoked', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    const broken = fx.makeService({ audit: () => Promise.reject(new VkError('audit_unavailable')) });
    expect(await errorCode(broken.enroll(created.enrollmentCode, 'accounting-bot', (await agentKey()).jkt))).toBe('audit_unavailable');
    expect(broken.record(created.token.id)?.revokedAt).not.toBeNull();
    expect(fx.makeService().list('revoked').map((t) => t.id)).toEqual([created.token.id]);
  });
});

describe('creating needs an unlocked engine', () => {
  it('refuses with vault_locked and stores nothing', async () => {
    fx.t.engine.lock();
    expect(await errorCode(fx.tokens.create(tokenInput(fx)))).toBe('vault_locked');
    expect(fx.tokens.list('all')).toEqual([]);
  });
});

describe('exchange never widens', () => {
  it.each([
    ['another vault', (f: TokenFixture) => `vault:${f.personal.id}:read`],
    ['another vault by name', () => 'vault:Personal:read'],
    ['another action', (f: TokenFixture) => `vault:${f.accounting.id}:use`],
    ['an unknown vault', () => 'vault:Nowhere:read'],
    ['an entry of another vault', () => 'entry:Personal/GitHub:read'],
    ['a superset', (f: TokenFixture) => `vault:${f.accounting.id}:read vault:${f.personal.id}:read`],
    ['a malformed scope', () => 'vault:Accounting:write'],
    ['an empty scope', () => ''],
  ])('asking for %s → invalid_scope, nothing issued', async (_what, scope) => {
    const root = await enrolled();
    expect(await errorCode(fx.tokens.exchange(root.record, { scope: scope(fx), actorName: 'sub', jkt: (await agentKey()).jkt }))).toBe('invalid_scope');
    expect(fx.tokens.list('all')).toHaveLength(1);
    expect(await fx.auditRows('token.exchange')).toHaveLength(0);
  });

  it('a whole vault from an entry-narrowed token → invalid_scope', async () => {
    const root = await enrolled({ entries: [{ vault: 'Accounting', entry: 'Bank' }] });
    const jkt = (await agentKey()).jkt;
    expect(await errorCode(fx.tokens.exchange(root.record, { scope: 'vault:Accounting:read', actorName: 'sub', jkt }))).toBe('invalid_scope');
    expect(await errorCode(fx.tokens.exchange(root.record, { scope: 'entry:Accounting/Payroll:read', actorName: 'sub', jkt }))).toBe('invalid_scope');
    await fx.tokens.exchange(root.record, { scope: 'entry:Accounting/bank:read', actorName: 'sub', jkt });
  });

  it('from a revoked or expired subject → invalid_grant, even with a stale record in hand', async () => {
    const root = await enrolled({ lifespanSeconds: 300 });
    const stale = root.record;
    await fx.tokens.revoke(root.record.id, 'test');
    expect(await errorCode(fx.tokens.exchange(stale, { actorName: 'sub', jkt: (await agentKey()).jkt }))).toBe('invalid_grant');
    const other = await enrolled({ name: 'other', lifespanSeconds: 300 });
    fx.clock.now += 300_000;
    expect(await errorCode(fx.tokens.exchange(other.record, { actorName: 'sub', jkt: (await agentKey()).jkt }))).toBe('invalid_grant');
  });

  it('racing a revocation of its subject → invalid_grant and no orphan child', async () => {
    const root = await enrolled();
    const jkt = (await agentKey()).jkt;
    const exchanging = fx.tokens.exchange(root.record, { actorName: 'sub', jkt });
    const revoking = fx.tokens.revoke(root.record.id, 'leaked'); // lands while the child is being signed
    expect(await errorCode(exchanging)).toBe('invalid_grant');
    expect(await revoking).toBe(1);
    expect(fx.tokens.list('all')).toHaveLength(1);
  });

  it('needs a well-formed sub-agent key and name', async () => {
    const root = await enrolled();
    expect(await errorCode(fx.tokens.exchange(root.record, { actorName: 'sub', jkt: 'nope' }))).toBe('invalid_request');
    expect(await errorCode(fx.tokens.exchange(root.record, { actorName: '', jkt: (await agentKey()).jkt }))).toBe('invalid_request');
  });

  it('stops chains at 7 exchanges', async () => {
    let record = (await enrolled()).record;
    for (let i = 0; i < 7; i += 1) {
      const issued = await fx.tokens.exchange(record, { actorName: `sub${i}`, jkt: (await agentKey()).jkt });
      record = fx.tokens.record(issued.tokenId)!;
    }
    expect(await errorCode(fx.tokens.exchange(record, { actorName: 'too-deep', jkt: (await agentKey()).jkt }))).toBe('invalid_request');
  });
});

describe('self-revocation (RFC 7009)', () => {
  it.each([[''], ['garbage'], ['a.b.c'], ['x'.repeat(20_000)]])('of garbage %# is silent and changes nothing', async (garbage) => {
    const root = await enrolled();
    await expect(fx.tokens.selfRevoke(garbage)).resolves.toBeUndefined();
    expect(fx.tokens.record(root.record.id)?.revokedAt).toBeNull();
    expect(await fx.auditRows('token.self_revoke')).toHaveLength(0);
  });

  it('of a forged token (another key, same kid) or one for another issuer is silent', async () => {
    const root = await enrolled();
    const claims = tokenClaims(root.record, ISSUER, fx.clock.now);
    const forged = await issueAccessToken(makeTokenKey(fx.t.engine.signer!.keyId), claims);
    const foreign = await issueAccessToken(fx.t.engine.signer!, { ...claims, iss: 'http://127.0.0.1:1', aud: 'http://127.0.0.1:1' });
    await fx.tokens.selfRevoke(forged);
    await fx.tokens.selfRevoke(foreign);
    expect(fx.tokens.record(root.record.id)?.revokedAt).toBeNull();
    expect(await fx.auditRows('token.self_revoke')).toHaveLength(0);
  });

  it('of a valid token revokes it and its children, once, and audits it', async () => {
    const root = await enrolled();
    const child = await fx.tokens.exchange(root.record, { actorName: 'sub', jkt: (await agentKey()).jkt });
    await fx.tokens.selfRevoke(root.issued.accessToken);
    expect(fx.tokens.record(root.record.id)?.revokedAt).toBe(fx.clock.now);
    expect(fx.tokens.record(child.tokenId)?.revokedAt).toBe(fx.clock.now);
    await fx.tokens.selfRevoke(root.issued.accessToken);
    const rows = await fx.auditRows('token.self_revoke');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor: 'agent', agent: 'accounting-bot', tokenId: root.record.id, keyThumbprint: root.key.jkt, detail: { revoked: 2 } });
  });
});

describe('limits and dead tokens on the request path', () => {
  it('consume refuses unknown, revoked and expired tokens', async () => {
    const root = await enrolled({ lifespanSeconds: 300 });
    expect(syncErrorCode(() => fx.tokens.consume('aaaaaaaaaaaaaaaaaaaaaaaaaa', fx.clock.now))).toBe('invalid_token');
    expect(syncErrorCode(() => fx.tokens.consume(root.record.id, root.record.expiresAt))).toBe('invalid_token');
    await fx.tokens.revoke(root.record.id, 'x');
    expect(syncErrorCode(() => fx.tokens.consume(root.record.id, fx.clock.now))).toBe('invalid_token');
  });

  it('sub-agents share their parent rate limit instead of multiplying it', async () => {
    const root = await enrolled({ requestsPerMinute: 2 });
    const kids = [
      await fx.tokens.exchange(root.record, { actorName: 'a', jkt: (await agentKey()).jkt }),
      await fx.tokens.exchange(root.record, { actorName: 'b', jkt: (await agentKey()).jkt }),
    ];
    fx.tokens.consume(kids[0]!.tokenId, fx.clock.now);
    fx.tokens.consume(kids[1]!.tokenId, fx.clock.now);
    expect(syncErrorCode(() => fx.tokens.consume(root.record.id, fx.clock.now))).toBe('rate_limited');
  });

  it('a refused use is not counted', async () => {
    const root = await enrolled({ maxUses: 1, requestsPerMinute: 1 });
    fx.tokens.consume(root.record.id, fx.clock.now);
    expect(syncErrorCode(() => fx.tokens.consume(root.record.id, fx.clock.now))).toBe('token_limit_reached');
    expect(fx.tokens.record(root.record.id)?.uses).toBe(1);
    expect(tokensRow(root.record.id)['uses']).toBe(1);
  });
});

describe('claims', () => {
  it('a key-bound record without a key never becomes a bearer token', async () => {
    const created = await fx.tokens.create(tokenInput(fx));
    const pending = fx.tokens.record(created.token.id)!;
    expect(() => tokenClaims(pending, ISSUER, fx.clock.now)).toThrow(TypeError);
  });
});
