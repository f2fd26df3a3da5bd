/**
 * "Pause all agents" survives a restart through the `agents_paused` setting. Resuming is a grant
 * (docs/security.md), so the value carries a MAC: an agent that writes `false` into the database
 * finds agents still paused at the next start, and the change reported.
 */
import { SETTING, type Settings } from '../config/settings.js';
import type { RowSeal } from './row-seal.js';

function fields(value: string): [string] {
  return [value];
}

/** Stores the pause state with its MAC (when the key is loaded; a later check re-signs nothing). */
export function putPaused(settings: Settings, seal: RowSeal, paused: boolean): void {
  const value = String(paused);
  settings.putMany({
    [SETTING.agentsPaused]: value,
    ...(seal.ready ? { [SETTING.agentsPausedMac]: seal.sign('settings', SETTING.agentsPaused, fields(value)) } : {}),
  });
}

/** The stored pause state, trusted only with a valid MAC; otherwise reported and read as paused. */
export function checkedPaused(settings: Settings, seal: RowSeal): boolean {
  const value = settings.get(SETTING.agentsPaused) ?? 'false';
  return seal.valid('settings', SETTING.agentsPaused, fields(value), settings.get(SETTING.agentsPausedMac) ?? null) ? value === 'true' : true;
}

/** Gives a setting written before migration 5 its MAC (the one-time step at the first unlock). */
export function sealPaused(settings: Settings, seal: RowSeal): number {
  if (settings.get(SETTING.agentsPausedMac) !== undefined) return 0;
  putPaused(settings, seal, settings.get(SETTING.agentsPaused) === 'true');
  return 1;
}
