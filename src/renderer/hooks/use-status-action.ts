import { useState } from 'react';
import { useToast } from '../components/toast.js';
import { errorText } from '../lib/vk-error.js';
import { useStatus } from './use-status.js';

/** A button that changes the engine's state (lock, pause, resume): busy while it runs, the status asked again after, a failure said in a toast. */
export function useStatusAction(): { readonly busy: boolean; readonly run: (action: () => Promise<unknown>) => Promise<void> } {
  const { refresh } = useStatus();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try {
      await action();
      refresh();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}
