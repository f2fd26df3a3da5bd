/** Lifespans as people type them: the presets (1h, 1d, 7d, 30d, 1y), a number of seconds, or N followed by m, h, d, w or y. */
import { VkError } from '../../shared/errors.js';
import { LIFESPAN_PRESETS, MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS } from '../../shared/model.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400, y: 365 * 86_400 };

export function parseLifespan(text: string): number {
  const preset = (LIFESPAN_PRESETS as Readonly<Record<string, number>>)[text];
  const m = /^(\d{1,9})([smhdwy]?)$/.exec(text.trim());
  const seconds = preset ?? (m === null ? Number.NaN : Number(m[1]) * (UNIT_SECONDS[m[2] || 's'] ?? Number.NaN));
  if (!(seconds >= MIN_LIFESPAN_SECONDS && seconds <= MAX_LIFESPAN_SECONDS)) {
    throw new VkError('invalid_request', '--lifespan takes 1h, 1d, 7d, 30d, 1y, a number of seconds, or N with m/h/d/w/y, from 5 minutes to 1 year');
  }
  return seconds;
}
