import { describe, expect, it } from 'vitest';
import { idleLockDecision, startAutoLock, type IdleLockInput, type LockTrigger, type PowerPort } from '../../src/main/auto-lock.js';
import { DEFAULT_DESKTOP_SETTINGS, type DesktopSettings } from '../../src/main/desktop-settings.js';

const settings: DesktopSettings = { ...DEFAULT_DESKTOP_SETTINGS, autoLockMinutes: 10, lockOnSuspend: true, lockOnScreenLock: true };
const input = (over: Partial<IdleLockInput>): IdleLockInput => ({ event: 'poll', idleSeconds: 0, screenLocked: false, settings, locked: false, ...over });

describe('idleLockDecision', () => {
  it('locks once the idle time reaches the limit, not before', () => {
    expect(idleLockDecision(input({ idleSeconds: 599 }))).toBe('stay');
    expect(idleLockDecision(input({ idleSeconds: 600 }))).toBe('lock');
  });

  it('never locks on idle when the limit is 0 (never)', () => {
    expect(idleLockDecision(input({ idleSeconds: 10 ** 7, settings: { ...settings, autoLockMinutes: 0 } }))).toBe('stay');
  });

  it('locks on sleep and on screen lock, each only when its setting is on', () => {
    expect(idleLockDecision(input({ event: 'suspend' }))).toBe('lock');
    expect(idleLockDecision(input({ event: 'suspend', settings: { ...settings, lockOnSuspend: false } }))).toBe('stay');
    expect(idleLockDecision(input({ event: 'lock-screen' }))).toBe('lock');
    expect(idleLockDecision(input({ event: 'lock-screen', settings: { ...settings, lockOnScreenLock: false } }))).toBe('stay');
  });

  it('locks when a poll finds the screen locked (Linux has no lock-screen event)', () => {
    expect(idleLockDecision(input({ screenLocked: true }))).toBe('lock');
    expect(idleLockDecision(input({ screenLocked: true, settings: { ...settings, lockOnScreenLock: false } }))).toBe('stay');
  });

  it('does nothing when already locked', () => {
    for (const event of ['poll', 'suspend', 'lock-screen'] as const) {
      expect(idleLockDecision(input({ event, idleSeconds: 10_000, screenLocked: true, locked: true }))).toBe('stay');
    }
  });
});

/** A powerMonitor stand-in: the test sets the idle time and fires the events. */
class FakePower implements PowerPort {
  idle = 0;
  locked = false;
  readonly suspend = new Set<() => void>();
  readonly lockScreen = new Set<() => void>();
  idleSeconds(): number {
    return this.idle;
  }
  screenLocked(): boolean {
    return this.locked;
  }
  onSuspend(listener: () => void): () => void {
    this.suspend.add(listener);
    return () => this.suspend.delete(listener);
  }
  onLockScreen(listener: () => void): () => void {
    this.lockScreen.add(listener);
    return () => this.lockScreen.delete(listener);
  }
}

function harness(current: DesktopSettings = settings) {
  const power = new FakePower();
  const locks: LockTrigger[] = [];
  let engineLocked = false;
  let tick: (() => void) | undefined;
  let pollMs = 0;
  let release: (() => void) | undefined;
  let hold = false;
  const stop = startAutoLock({
    power,
    settings: () => current,
    isLocked: () => engineLocked,
    lock: async (trigger) => {
      locks.push(trigger);
      if (hold) await new Promise<void>((resolve) => (release = resolve));
      engineLocked = true;
    },
    every: (ms, fn) => {
      pollMs = ms;
      tick = fn;
      return () => (tick = undefined);
    },
  });
  return {
    power,
    locks,
    stop,
    pollMs: () => pollMs,
    poll: () => tick?.(),
    unlock: () => (engineLocked = false),
    holdLocks: () => (hold = true),
    release: () => release?.(),
    polling: () => tick !== undefined,
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('startAutoLock', () => {
  it('polls every 15 seconds and locks once idle passes the limit', async () => {
    const h = harness();
    expect(h.pollMs()).toBe(15_000);
    h.power.idle = 300;
    h.poll();
    expect(h.locks).toEqual([]);
    h.power.idle = 601;
    h.poll();
    await settle();
    expect(h.locks).toEqual(['poll']);
    h.poll();
    await settle();
    expect(h.locks).toEqual(['poll']);
  });

  it('locks on the suspend and lock-screen events', async () => {
    const h = harness();
    for (const listener of h.power.suspend) listener();
    await settle();
    h.unlock();
    for (const listener of h.power.lockScreen) listener();
    await settle();
    expect(h.locks).toEqual(['suspend', 'lock-screen']);
  });

  it('sends one lock at a time even if triggers pile up while it is in flight', async () => {
    const h = harness();
    h.holdLocks();
    h.power.idle = 10_000;
    h.poll();
    h.poll();
    for (const listener of h.power.suspend) listener();
    expect(h.locks).toEqual(['poll']);
    h.release();
    await settle();
    h.unlock();
    h.poll();
    expect(h.locks).toEqual(['poll', 'poll']);
  });

  it('tries again on the next trigger when a lock fails', async () => {
    const power = new FakePower();
    const attempts: LockTrigger[] = [];
    let tick = (): void => {};
    startAutoLock({
      power,
      settings: () => settings,
      isLocked: () => false,
      lock: async (trigger) => {
        attempts.push(trigger);
        throw new Error('engine gone');
      },
      every: (_ms, fn) => ((tick = fn), () => {}),
    });
    power.idle = 10_000;
    tick();
    await settle();
    tick();
    await settle();
    expect(attempts).toEqual(['poll', 'poll']);
  });

  it('stops polling and listening when stopped', () => {
    const h = harness();
    h.stop();
    expect(h.polling()).toBe(false);
    expect(h.power.suspend.size).toBe(0);
    expect(h.power.lockScreen.size).toBe(0);
  });
});
