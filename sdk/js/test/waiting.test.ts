/**
 * The "waiting for approval" notice's defaults, with fake timers standing in for a person who
 * takes their time: the default writes the CLI's sentence to stderr once; null stays silent;
 * an answer before the quiet second says nothing. The real-engine case is in errors.security.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QUIET_MS, placeholderRefs, printWaiting, withWaitingNotice } from '../src/waiting.js';

const GITHUB = 'vk://Personal/GitHub/api_key';

describe('waiting notice', () => {
  let written: string[];

  beforeEach(() => {
    vi.useFakeTimers();
    written = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it('by default writes the CLI sentence to stderr once while the answer is held', async () => {
    let answer: (v: string) => void = () => undefined;
    const held = withWaitingNotice([GITHUB, 'vk://Personal/GitHub/user'], printWaiting, new Promise<string>((r) => (answer = r)));
    await vi.advanceTimersByTimeAsync(QUIET_MS * 10);
    answer('done');
    expect(await held).toBe('done');
    expect(written).toEqual(['valetkey: waiting for approval in Valetkey (Personal, GitHub; up to 120 s)…\n']);
  });

  it('null stays silent however long the answer takes', async () => {
    let answer: (v: string) => void = () => undefined;
    const held = withWaitingNotice([GITHUB], null, new Promise<string>((r) => (answer = r)));
    await vi.advanceTimersByTimeAsync(QUIET_MS * 10);
    answer('done');
    expect(await held).toBe('done');
    expect(written).toEqual([]);
  });

  it('an answer within the quiet second says nothing, and a failure still clears the notice', async () => {
    const calls: string[] = [];
    expect(await withWaitingNotice([GITHUB], (i) => calls.push(i.message), Promise.resolve('fast'))).toBe('fast');
    await expect(withWaitingNotice([GITHUB], (i) => calls.push(i.message), Promise.reject(new Error('denied')))).rejects.toThrow('denied');
    await vi.advanceTimersByTimeAsync(QUIET_MS * 10);
    expect(calls).toEqual([]);
  });

  it('names the vaults and entries of a use() request from its placeholders', () => {
    const request = JSON.stringify({ url: 'https://api.github.com/user', headers: { Authorization: 'Bearer {{ vk://Personal/GitHub/api_key }}' }, body: '{{vk://Work/CI%20Bot/token}}' });
    expect(placeholderRefs(request)).toEqual([GITHUB, 'vk://Work/CI%20Bot/token']);
  });
});
