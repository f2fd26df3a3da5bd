/**
 * Copy a secret and clear it from the clipboard after 30 s, but only if the clipboard still holds
 * what we put there: the person may have copied something else meanwhile. Only a SHA-256 digest
 * of the copied value is kept while waiting, never the value itself.
 *
 * Where the clipboard cannot be read (Electron denies the read permission to web content; a
 * browser may ask), the guard clears anyway: leaving a secret behind is the worse failure.
 */
export const CLIPBOARD_CLEAR_MS = 30_000;

export interface ClipboardLike {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

export type ClearOutcome = 'cleared' | 'kept' | 'cleared-unverified' | 'failed';

export interface ClipboardGuardOptions {
  readonly delayMs?: number;
  /** Told what happened when the timer fires (for a toast, and for tests). */
  readonly onSettled?: (outcome: ClearOutcome) => void;
}

export interface ClipboardGuard {
  /** Copies `value`; when `secret`, schedules the clear. Replaces any clear still pending. */
  copy(value: string, secret: boolean): Promise<void>;
  /** Stops the pending clear (the page is going away, or a test ends). */
  cancel(): void;
}

export async function digestOf(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const hash = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  bytes.fill(0);
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What to do when the timer fires, given what the clipboard holds now (undefined: could not read it). */
export async function clearDecision(current: string | undefined, ourDigest: string): Promise<'clear' | 'keep' | 'clear-unverified'> {
  if (current === undefined) return 'clear-unverified';
  return (await digestOf(current)) === ourDigest ? 'clear' : 'keep';
}

export function createClipboardGuard(clipboard: ClipboardLike, options: ClipboardGuardOptions = {}): ClipboardGuard {
  const delayMs = options.delayMs ?? CLIPBOARD_CLEAR_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const cancel = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const settle = async (ours: string): Promise<ClearOutcome> => {
    const current = await clipboard.readText().then(
      (text) => text,
      () => undefined,
    );
    const decision = await clearDecision(current, ours);
    if (decision === 'keep') return 'kept';
    try {
      await clipboard.writeText('');
      return decision === 'clear' ? 'cleared' : 'cleared-unverified';
    } catch {
      return 'failed';
    }
  };

  return {
    cancel,
    copy: async (value, secret) => {
      cancel();
      await clipboard.writeText(value);
      if (!secret) return;
      const ours = await digestOf(value);
      timer = setTimeout(() => {
        timer = undefined;
        void settle(ours).then((outcome) => options.onSettled?.(outcome));
      }, delayMs);
    },
  };
}
