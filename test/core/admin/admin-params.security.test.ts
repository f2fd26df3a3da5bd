/**
 * Every admin method parses its params with its schema before its handler runs: a wrong-typed
 * value in any field answers invalid_request and changes nothing (no handler ran, no audit row).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_METHODS, type AdminMethod, type CallContext } from '../../../src/shared/admin-api.js';
import { ADMIN_SCHEMAS } from '../../../src/shared/admin-schemas/admin-schemas.js';
import { isVkError } from '../../../src/shared/errors.js';
import { openTestEngine, TEST_PASSPHRASE, type TestEngine } from '../../helpers/engine-fixture.js';

// Matches no field's type: not text, number, boolean, object, nor a list of any of them.
const GARBAGE = [[-1.5]];
const CTX: CallContext = { via: 'socket', personPresent: false };

let t: TestEngine;
let session: string;
beforeAll(async () => {
  t = await openTestEngine();
  ({ session } = await t.admin.openGrantSession({ passphrase: TEST_PASSPHRASE }));
});
afterAll(async () => t.close());

async function codeOf(method: AdminMethod, params: unknown): Promise<string> {
  try {
    await t.service.dispatch(method, params, CTX);
    return 'answered';
  } catch (e) {
    return isVkError(e) ? e.code : String(e);
  }
}

function garbageParams(method: AdminMethod): Record<string, unknown> | string {
  const fields = Object.keys(ADMIN_SCHEMAS[method].shape).filter((f) => f !== 'grant');
  if (fields.length === 0) return 'garbage';
  return { grant: { session }, ...Object.fromEntries(fields.map((f) => [f, GARBAGE])) };
}

describe('admin params are parsed before any handler runs', () => {
  it.each(Object.keys(ADMIN_METHODS) as AdminMethod[])('%s answers invalid_request to wrong-typed params and does nothing', async (method) => {
    const before = t.engine.ledger.head().seq;
    expect(await codeOf(method, garbageParams(method))).toBe('invalid_request');
    await t.engine.ledger.flush();
    expect(t.engine.ledger.head().seq).toBe(before);
    expect(t.engine.locked).toBe(false);
  });

  it('names the field and the rule, never the value', async () => {
    try {
      await t.service.dispatch('createVault', { grant: { session }, vault: { name: 'x', colour: ['hunter2'] } }, CTX);
      expect.unreachable();
    } catch (e) {
      expect(isVkError(e) && e.detail).toBe('`vault.colour` must be text.');
      expect(JSON.stringify(e)).not.toContain('hunter2');
    }
  });

  it('checks the grant before the params, so a caller without one learns nothing about them', async () => {
    expect(await codeOf('createVault', { vault: GARBAGE })).toBe('grant_required');
  });
});
