import { useEffect, useRef } from 'react';
import type { AdminEvent, AdminEventType } from '../../shared/model.js';
import { onEvent, onReconnect } from '../api/admin.js';

/**
 * Calls `listener` for engine events of the given types (and, with `onResync`, after the event
 * stream reconnected). The latest listener is used without resubscribing on every render.
 */
export function useAdminEvent(types: readonly AdminEventType[], listener: (event: AdminEvent | undefined) => void, onResync = true): void {
  const latest = useRef(listener);
  latest.current = listener;
  const key = types.join(',');
  useEffect(() => {
    const wanted = new Set(key.split(','));
    const offEvent = onEvent((event) => {
      if (wanted.has(event.type)) latest.current(event);
    });
    const offReconnect = onResync ? onReconnect(() => latest.current(undefined)) : () => undefined;
    return () => {
      offEvent();
      offReconnect();
    };
  }, [key, onResync]);
}
