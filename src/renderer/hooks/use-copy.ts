import { useCallback } from 'react';
import { useToast } from '../components/toast.js';
import { CLIPBOARD_CLEAR_MS, createClipboardGuard, type ClearOutcome, type ClipboardGuard } from '../lib/clipboard-guard.js';

let guard: ClipboardGuard | undefined;
let settledListener: ((outcome: ClearOutcome) => void) | undefined;

/** One guard for the page, so a new copy replaces the pending clear of the last one. */
function pageGuard(): ClipboardGuard | undefined {
  const clipboard = globalThis.navigator?.clipboard;
  if (clipboard === undefined) return undefined;
  guard ??= createClipboardGuard(clipboard, { onSettled: (outcome) => settledListener?.(outcome) });
  return guard;
}

const SETTLED_TEXT: Readonly<Record<ClearOutcome, string | undefined>> = {
  cleared: 'Clipboard cleared.',
  'cleared-unverified': 'Clipboard cleared.',
  kept: undefined,
  failed: 'Could not clear the clipboard: clear it yourself.',
};

/** Copy text; a secret is cleared from the clipboard after 30 s if it is still there. */
export function useCopy(): (value: string, secret: boolean) => Promise<void> {
  const toast = useToast();
  return useCallback(
    async (value, secret) => {
      const g = pageGuard();
      if (g === undefined) {
        toast('This page cannot reach the clipboard. Select the text and copy it yourself.', 'error');
        return;
      }
      settledListener = (outcome) => {
        const text = SETTLED_TEXT[outcome];
        if (text !== undefined) toast(text, outcome === 'failed' ? 'error' : 'info');
      };
      try {
        await g.copy(value, secret);
        toast(secret ? `Copied. The clipboard clears in ${CLIPBOARD_CLEAR_MS / 1000} s.` : 'Copied.');
      } catch {
        toast('Copying failed: the window must have focus. Click in it and try again.', 'error');
      }
    },
    [toast],
  );
}
