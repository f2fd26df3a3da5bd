import { createContext, useContext } from 'react';
import type { EngineStatus } from '../../shared/model.js';

export interface StatusValue {
  readonly status: EngineStatus;
  /** Ask the engine again (after lock, unlock, pause, resume). */
  readonly refresh: () => void;
}

export const StatusContext = createContext<StatusValue | undefined>(undefined);

/** The engine's status, for screens inside the unlocked app. */
export function useStatus(): StatusValue {
  const value = useContext(StatusContext);
  if (value === undefined) throw new Error('useStatus outside the unlocked app');
  return value;
}
