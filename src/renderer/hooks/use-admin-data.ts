import { useCallback, useEffect, useRef, useState } from 'react';
import type { VkError } from '../../shared/errors.js';
import type { AdminEventType } from '../../shared/model.js';
import { toVkError } from '../lib/vk-error.js';
import { useAdminEvent } from './use-admin-event.js';

export type Loaded<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ok'; readonly value: T }
  | { readonly state: 'error'; readonly error: VkError };

/** Events arrive in bursts (a group commit appends many rows): reload once per burst. */
const RELOAD_DEBOUNCE_MS = 150;

/**
 * Loads data from the engine, and loads it again when `deps` change, when one of the `refreshOn`
 * events arrives, or on `reload()`. While reloading, the last value stays on screen.
 */
export function useAdminData<T>(load: () => Promise<T>, deps: readonly unknown[], refreshOn: readonly AdminEventType[] = []): {
  readonly data: Loaded<T>;
  readonly reload: () => void;
} {
  const [data, setData] = useState<Loaded<T>>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let current = true;
    loadRef.current().then(
      (value) => current && setData({ state: 'ok', value }),
      (e: unknown) => current && setData({ state: 'error', error: toVkError(e) }),
    );
    return () => {
      current = false;
    };
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useAdminEvent(refreshOn, () => {
    if (timer.current !== undefined) clearTimeout(timer.current);
    timer.current = setTimeout(reload, RELOAD_DEBOUNCE_MS);
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  return { data, reload };
}
