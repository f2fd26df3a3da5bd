/**
 * The token lifespan slider: a logarithmic scale from 5 minutes to 1 year (a linear one would
 * spend the whole slider on months), snapped to values a person would pick.
 */
import { LIFESPAN_PRESETS, MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS } from '../../shared/model.js';

export const SLIDER_STEPS = 1000;

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

export type LifespanPreset = keyof typeof LIFESPAN_PRESETS;
export const PRESET_NAMES = Object.keys(LIFESPAN_PRESETS) as LifespanPreset[];

const LOG_MIN = Math.log(MIN_LIFESPAN_SECONDS);
const LOG_SPAN = Math.log(MAX_LIFESPAN_SECONDS) - LOG_MIN;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Rounds to 5 minutes below an hour, to hours below a day, to days above. */
export function snapLifespan(seconds: number): number {
  const unit = seconds < HOUR ? 5 * MINUTE : seconds < DAY ? HOUR : DAY;
  return clamp(Math.round(seconds / unit) * unit, MIN_LIFESPAN_SECONDS, MAX_LIFESPAN_SECONDS);
}

export function positionToSeconds(position: number): number {
  const p = clamp(position, 0, SLIDER_STEPS) / SLIDER_STEPS;
  return snapLifespan(Math.exp(LOG_MIN + p * LOG_SPAN));
}

export function secondsToPosition(seconds: number): number {
  const s = clamp(seconds, MIN_LIFESPAN_SECONDS, MAX_LIFESPAN_SECONDS);
  return Math.round(((Math.log(s) - LOG_MIN) / LOG_SPAN) * SLIDER_STEPS);
}

/** The preset equal to `seconds`, if any (to highlight its button). */
export function presetOf(seconds: number): LifespanPreset | undefined {
  return PRESET_NAMES.find((name) => LIFESPAN_PRESETS[name] === seconds);
}
