/**
 * A real engine (temp dir, real SQLite, key-file keys) with a TokenServiceImpl built from its
 * parts, a clock the test moves, and two vaults with entries.
 */
import { calculateJwkThumbprint } from 'jose';
import { verifyAccessToken, type AccessTokenClaims } from '../../../src/core/auth/access-token.js';
import type { TokenKey } from '../../../src/core/auth/token-key.js';
import { TokenServiceImpl, type TokenServiceDeps } from '../../../src/core/tokens/token-service.js';
import { VkError } from '../../../src/shared/errors.js';
import type { AdminEvent, AuditRow, EntrySummary, TokenInput, VaultInfo } from '../../../src/shared/model.js';
import { openTestEngine, type TestEngine } from '../../helpers/engine-fixture.js';
import { makeAgentKey } from '../auth/jwt-forge.js';

export const ISSUER = 'http://127.0.0.1:47011';
export const START = Date.UTC(2030, 0, 1, 12, 0, 0);

export interface TokenFixture {
  readonly t: TestEngine;
  readonly tokens: TokenServiceImpl;
  readonly clock: { now: number };
  readonly events: AdminEvent[];
  readonly revokedCallbacks: string[][];
  readonly accounting: VaultInfo;
  readonly personal: VaultInfo;
  readonly bank: EntrySummary;
  readonly payroll: EntrySummary;
  readonly github: EntrySummary;
  /** Another service on the same engine and database, e.g. with a failing audit. */
  makeService(overrides?: Partial<TokenServiceDeps>): TokenServiceImpl;
  verify(accessToken: string): Promise<AccessTokenClaims>;
  auditRows(action: string): Promise<readonly AuditRow[]>;
  close(): Promise<void>;
}

export async function openTokenFixture(): Promise<TokenFixture> {
  const t = await openTestEngine();
  const clock = { now: START };
  const events: AdminEvent[] = [];
  const revokedCallbacks: string[][] = [];
  const signer = (): TokenKey => {
    const s = t.engine.signer;
    if (s === undefined) throw new VkError('vault_locked');
    return s;
  };
  const deps: TokenServiceDeps = {
    db: t.engine.db,
    seal: t.engine.seal,
    vaults: t.engine.vaults,
    audit: (r) => t.engine.audit(r),
    signer,
    issuer: ISSUER,
    clock: () => clock.now,
    emit: (e) => events.push(e),
    onRevoked: (ids) => revokedCallbacks.push([...ids]),
  };
  // Set-up as a person in the app: no Argon2id per call; what the tests are about needs no grant.
  const accounting = await t.person.createVault({ vault: { name: 'Accounting' } });
  const personal = await t.person.createVault({ vault: { name: 'Personal', approval: { mode: 'every_access' } } });
  const bank = await t.person.createEntry({ vaultId: accounting.id, entry: { title: 'Bank', kind: 'login', fields: { password: 'b4nk-s3cret' } } });
  const payroll = await t.person.createEntry({ vaultId: accounting.id, entry: { title: 'Payroll', kind: 'api_key', fields: { apiKey: 'p4yroll-key' } } });
  const github = await t.person.createEntry({ vaultId: personal.id, entry: { title: 'GitHub', kind: 'api_key', fields: { apiKey: 'ghp-s3cret' } } });
  return {
    t,
    tokens: new TokenServiceImpl(deps),
    clock,
    events,
    revokedCallbacks,
    accounting,
    personal,
    bank,
    payroll,
    github,
    makeService: (overrides = {}) => new TokenServiceImpl({ ...deps, ...overrides }),
    verify: (accessToken) =>
      verifyAccessToken(accessToken, { key: signer(), issuer: ISSUER, audience: ISSUER, nowSeconds: Math.floor(clock.now / 1000) }),
    auditRows: async (action) => (await t.admin.queryAudit({ action, limit: 500 })).rows,
    close: () => t.close(),
  };
}

/** A fresh agent key and its RFC 7638 thumbprint, as an SDK would hold them. */
export async function agentKey(): Promise<{ readonly jkt: string }> {
  const key = await makeAgentKey();
  return { jkt: await calculateJwkThumbprint(key.publicJwk, 'sha256') };
}

export function tokenInput(fx: TokenFixture, overrides: Partial<TokenInput> = {}): TokenInput {
  return { name: 'accounting-bot', vaults: [fx.accounting.id], actions: ['read'], lifespanSeconds: 3600, ...overrides };
}

export { errorCode, syncErrorCode } from '../../helpers/error-code.js';
