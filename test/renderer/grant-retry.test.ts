import { describe, expect, it } from 'vitest';
import { VkError } from '../../src/shared/errors.js';
import { callWithGrant } from '../../src/renderer/lib/grant-retry.js';

/** A call that answers grant_required until a grant is open, like the engine behind the cookie. */
function engineLike() {
  const state = { granted: false, calls: 0, asks: 0 };
  const call = async () => {
    state.calls += 1;
    if (!state.granted) throw new VkError('grant_required');
    return 'done';
  };
  return { state, call };
}

describe('callWithGrant', () => {
  it('asks the person once, then retries the grant method', async () => {
    const { state, call } = engineLike();
    const result = await callWithGrant('createVault', call, async () => {
      state.asks += 1;
      state.granted = true;
      return true;
    });
    expect(result).toBe('done');
    expect(state).toMatchObject({ calls: 2, asks: 1 });
  });

  it('gives up with grant_required when the person cancels', async () => {
    const { state, call } = engineLike();
    await expect(callWithGrant('createToken', call, async () => false)).rejects.toMatchObject({ code: 'grant_required' });
    expect(state.calls).toBe(1);
  });

  it('never asks for a read method, nor for other errors', async () => {
    let asked = 0;
    const ask = async () => {
      asked += 1;
      return true;
    };
    await expect(callWithGrant('listVaults', async () => Promise.reject(new VkError('grant_required')), ask)).rejects.toMatchObject({ code: 'grant_required' });
    await expect(callWithGrant('createVault', async () => Promise.reject(new VkError('conflict')), ask)).rejects.toMatchObject({ code: 'conflict' });
    expect(asked).toBe(0);
  });

  it('retries only once: a second grant_required is the answer', async () => {
    let calls = 0;
    const always = async () => {
      calls += 1;
      throw new VkError('grant_required');
    };
    await expect(callWithGrant('deleteVault', always, async () => true)).rejects.toMatchObject({ code: 'grant_required' });
    expect(calls).toBe(2);
  });

  it('passes the transport’s VkError through, and turns anything else into internal_error without its text', async () => {
    const locked = new VkError('vault_locked');
    await expect(callWithGrant('listVaults', async () => Promise.reject(locked), async () => false)).rejects.toBe(locked);
    const text = async () => Promise.reject(new Error('vault_locked: Valetkey is locked.'));
    const error = await callWithGrant('listVaults', text, async () => false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VkError);
    expect(error).toMatchObject({ code: 'internal_error' });
  });
});
