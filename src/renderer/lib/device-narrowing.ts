/**
 * "Approve narrowed": the person gives an agent less than it asked for (fewer vaults, fewer
 * actions, a shorter life). Only what was actually narrowed is sent; the engine checks that the
 * result is inside the request.
 */
import { LIFESPAN_PRESETS, MIN_LIFESPAN_SECONDS, type DeviceRequestInfo, type TokenAction } from '../../shared/model.js';

export interface NarrowChoice {
  readonly vaultIds: readonly string[];
  readonly actions: readonly TokenAction[];
  readonly lifespanSeconds: number;
}

export interface Narrowed {
  readonly vaults?: readonly string[];
  readonly actions?: readonly TokenAction[];
  readonly lifespanSeconds?: number;
}

/** The vault ids the request resolves to today (unknown names cannot be granted). */
export function requestedVaultIds(request: DeviceRequestInfo): string[] {
  return request.vaults.flatMap((v) => (v.id === null ? [] : [v.id]));
}

export function fullChoice(request: DeviceRequestInfo): NarrowChoice {
  return { vaultIds: requestedVaultIds(request), actions: request.actions, lifespanSeconds: request.lifespanSeconds };
}

/** Lifespans the person may pick: the presets shorter than asked, and what was asked. */
export function lifespanChoices(requested: number): number[] {
  const shorter = Object.values(LIFESPAN_PRESETS).filter((s) => s < requested);
  const options = [MIN_LIFESPAN_SECONDS, ...shorter, requested].filter((s) => s <= requested);
  return [...new Set(options)].sort((a, b) => a - b);
}

export function narrowingProblems(request: DeviceRequestInfo, choice: NarrowChoice): string[] {
  const problems: string[] = [];
  const allowed = requestedVaultIds(request);
  if (choice.vaultIds.length === 0) problems.push('Keep at least one vault, or deny the request.');
  if (choice.vaultIds.some((id) => !allowed.includes(id))) problems.push('Only vaults the agent asked for can be granted.');
  if (choice.actions.length === 0) problems.push('Keep at least one action, or deny the request.');
  if (choice.actions.some((a) => !request.actions.includes(a))) problems.push('Only actions the agent asked for can be granted.');
  if (choice.lifespanSeconds > request.lifespanSeconds) problems.push('The lifespan cannot be longer than asked.');
  return problems;
}

/** The `narrowed` parameter of decideDeviceRequest, holding only what differs from the request. */
export function narrowedParams(request: DeviceRequestInfo, choice: NarrowChoice): Narrowed {
  const allVaults = requestedVaultIds(request);
  const fewerVaults = choice.vaultIds.length < allVaults.length;
  const fewerActions = choice.actions.length < request.actions.length;
  const shorter = choice.lifespanSeconds < request.lifespanSeconds;
  return {
    ...(fewerVaults ? { vaults: choice.vaultIds } : {}),
    ...(fewerActions ? { actions: choice.actions } : {}),
    ...(shorter ? { lifespanSeconds: choice.lifespanSeconds } : {}),
  };
}
