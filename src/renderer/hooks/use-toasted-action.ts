import { useState } from 'react';
import { useToast } from '../components/toast.js';
import { errorText } from '../lib/vk-error.js';
import { useStatus } from './use-status.js';

export interface ToastedAction {
  readonly busy: boolean;
  /** Runs `action`, busy while it runs; a failure is said in a toast. Never throws. */
  readonly run: (action: () => Promise<unknown>) => Promise<void>;
}

/** A button outside a form (no place for an error under it): a failure is said in a toast. */
export function useToastedAction(): ToastedAction {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>): Promise<void> => {
    setBusy(true);
    try {
      await action();
    } catch (e) {
      toast(errorText(e), 'error');
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** A button that changes the engine's state (lock, pause, resume): the status is asked again after it. */
export function useStatusAction(): ToastedAction {
  const { refresh } = useStatus();
  const { busy, run } = useToastedAction();
  return {
    busy,
    run: (action) =>
      run(async () => {
        await action();
        refresh();
      }),
  };
}
