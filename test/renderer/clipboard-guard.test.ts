import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLIPBOARD_CLEAR_MS, clearDecision, createClipboardGuard, digestOf, type ClearOutcome, type ClipboardLike } from '../../src/renderer/lib/clipboard-guard.js';

/** A stand-in for navigator.clipboard: a string another program may also write. */
class FakeClipboard implements ClipboardLike {
  text = '';
  readable = true;
  writes = 0;
  async writeText(text: string): Promise<void> {
    this.writes += 1;
    this.text = text;
  }
  async readText(): Promise<string> {
    if (!this.readable) throw new DOMException('denied', 'NotAllowedError');
    return this.text;
  }
}

async function settleAfter(ms: number, outcomes: ClearOutcome[]): Promise<void> {
  const before = outcomes.length;
  await vi.advanceTimersByTimeAsync(ms);
  // The check itself is async (read, hash, write): let it finish.
  await vi.waitFor(() => expect(outcomes.length).toBeGreaterThan(before));
}

describe('clipboard guard', () => {
  let clipboard: FakeClipboard;
  let outcomes: ClearOutcome[];

  beforeEach(() => {
    vi.useFakeTimers();
    clipboard = new FakeClipboard();
    outcomes = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const guard = () => createClipboardGuard(clipboard, { onSettled: (o) => outcomes.push(o) });

  it('clears a copied secret after 30 s, not before', async () => {
    await guard().copy('hunter2', true);
    expect(clipboard.text).toBe('hunter2');
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 1);
    expect(clipboard.text).toBe('hunter2');
    await settleAfter(1, outcomes);
    expect(clipboard.text).toBe('');
    expect(outcomes).toEqual(['cleared']);
  });

  it('leaves the clipboard alone when the person copied something else meanwhile', async () => {
    await guard().copy('hunter2', true);
    clipboard.text = 'a shopping list';
    await settleAfter(CLIPBOARD_CLEAR_MS, outcomes);
    expect(clipboard.text).toBe('a shopping list');
    expect(outcomes).toEqual(['kept']);
  });

  it('clears anyway when the clipboard cannot be read (leaving a secret is worse)', async () => {
    await guard().copy('hunter2', true);
    clipboard.readable = false;
    await settleAfter(CLIPBOARD_CLEAR_MS, outcomes);
    expect(clipboard.text).toBe('');
    expect(outcomes).toEqual(['cleared-unverified']);
  });

  it('never clears what is not a secret', async () => {
    await guard().copy('a username', false);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS * 2);
    expect(clipboard.text).toBe('a username');
    expect(outcomes).toEqual([]);
  });

  it('a second copy replaces the first one’s pending clear', async () => {
    const g = guard();
    await g.copy('first', true);
    await vi.advanceTimersByTimeAsync(20_000);
    await g.copy('second', true);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS - 20_000);
    expect(clipboard.text).toBe('second');
    await settleAfter(20_000, outcomes);
    expect(clipboard.text).toBe('');
    expect(outcomes).toEqual(['cleared']);
  });

  it('cancel stops the pending clear', async () => {
    const g = guard();
    await g.copy('hunter2', true);
    g.cancel();
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS * 2);
    expect(clipboard.text).toBe('hunter2');
  });
});

describe('clearDecision', () => {
  it('compares digests, so only a hash of the secret waits in memory', async () => {
    const ours = await digestOf('hunter2');
    expect(ours).toMatch(/^[0-9a-f]{64}$/);
    expect(ours).not.toContain('hunter2');
    expect(await clearDecision('hunter2', ours)).toBe('clear');
    expect(await clearDecision('hunter3', ours)).toBe('keep');
    expect(await clearDecision(undefined, ours)).toBe('clear-unverified');
  });
});
