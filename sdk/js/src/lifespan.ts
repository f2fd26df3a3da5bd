/** Lifespans in seconds, or the presets the app offers. */
export const LIFESPAN_PRESETS = { '1h': 3600, '1d': 86_400, '7d': 7 * 86_400, '30d': 30 * 86_400, '1y': 365 * 86_400 } as const;

export type Lifespan = number | keyof typeof LIFESPAN_PRESETS;

export function lifespanSeconds(value: Lifespan | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return Math.floor(value);
  const preset = LIFESPAN_PRESETS[value];
  if (preset === undefined) throw new TypeError(`lifespan must be seconds or one of ${Object.keys(LIFESPAN_PRESETS).join(', ')}`);
  return preset;
}
