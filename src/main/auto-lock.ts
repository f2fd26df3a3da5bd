/**
 * Auto-lock: the master key leaves memory when the person walks away (idle for the configured
 * time), when the computer sleeps, and when the screen locks. Electron's powerMonitor reports the
 * screen lock as an event on macOS and Windows; on Linux the idle state polled here says 'locked'.
 */
import type { AdminDispatcher } from '../shared/admin-api.js';
import type { DesktopSettings } from './desktop-settings.js';
import { SHELL_CONTEXT } from './person-caller.js';

export type LockTrigger = 'poll' | 'suspend' | 'lock-screen';

export interface IdleLockInput {
  readonly event: LockTrigger;
  /** Seconds since the last keyboard or mouse input. */
  readonly idleSeconds: number;
  /** The OS reports the screen as locked (polled). */
  readonly screenLocked: boolean;
  readonly settings: DesktopSettings;
  /** Already locked: nothing to do. */
  readonly locked: boolean;
}

export type IdleLockDecision = 'lock' | 'stay';

export function idleLockDecision(input: IdleLockInput): IdleLockDecision {
  if (input.locked) return 'stay';
  const { settings } = input;
  switch (input.event) {
    case 'suspend':
      return settings.lockOnSuspend ? 'lock' : 'stay';
    case 'lock-screen':
      return settings.lockOnScreenLock ? 'lock' : 'stay';
    case 'poll': {
      if (input.screenLocked && settings.lockOnScreenLock) return 'lock';
      const limitSeconds = settings.autoLockMinutes * 60;
      return limitSeconds > 0 && input.idleSeconds >= limitSeconds ? 'lock' : 'stay';
    }
  }
}

/** What auto-lock needs from Electron's powerMonitor, one function per question (bootstrap adapts it). */
export interface PowerPort {
  idleSeconds(): number;
  screenLocked(): boolean;
  /** Each returns its unsubscribe. */
  onSuspend(listener: () => void): () => void;
  onLockScreen(listener: () => void): () => void;
}

export interface AutoLockDeps {
  readonly power: PowerPort;
  readonly settings: () => DesktopSettings;
  readonly isLocked: () => boolean;
  /** Locks the engine; a failure (engine gone) is the caller's to report, and the next trigger tries again. */
  readonly lock: (trigger: LockTrigger) => Promise<void>;
  /** Default 15 s: an idle limit of N minutes locks within N minutes and 15 seconds. */
  readonly pollMs?: number;
  readonly every?: (ms: number, tick: () => void) => () => void;
}

const DEFAULT_POLL_MS = 15_000;

/** Starts watching; the returned function stops it. */
export function startAutoLock(deps: AutoLockDeps): () => void {
  let locking = false;
  const consider = (event: LockTrigger): void => {
    if (locking) return;
    const decision = idleLockDecision({
      event,
      idleSeconds: event === 'poll' ? deps.power.idleSeconds() : 0,
      screenLocked: event === 'poll' && deps.power.screenLocked(),
      settings: deps.settings(),
      locked: deps.isLocked(),
    });
    if (decision !== 'lock') return;
    // One lock call at a time: a poll landing while the last lock is in flight must not repeat it.
    locking = true;
    const done = (): void => {
      locking = false;
    };
    deps.lock(event).then(done, done);
  };
  const every = deps.every ?? defaultEvery;
  const stops = [
    every(deps.pollMs ?? DEFAULT_POLL_MS, () => consider('poll')),
    deps.power.onSuspend(() => consider('suspend')),
    deps.power.onLockScreen(() => consider('lock-screen')),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}

function defaultEvery(ms: number, tick: () => void): () => void {
  const timer = setInterval(tick, ms);
  // The app quits when the person says so, not when only this timer is left.
  timer.unref();
  return () => clearInterval(timer);
}

/** The lock auto-lock sends: the shell's own call (no person behind it); a failure is logged by kind only. */
export function engineLocker(dispatch: AdminDispatcher): (trigger: LockTrigger) => Promise<void> {
  return async (trigger) => {
    try {
      await dispatch('lock', {}, SHELL_CONTEXT);
    } catch (e) {
      console.error(`valetkey: auto-lock on ${trigger} failed (${e instanceof Error ? e.name : typeof e})`);
    }
  };
}
