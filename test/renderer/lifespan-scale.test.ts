import { describe, expect, it } from 'vitest';
import { LIFESPAN_PRESETS, MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS } from '../../src/shared/model.js';
import { positionToSeconds, PRESET_NAMES, presetOf, secondsToPosition, SLIDER_STEPS, snapLifespan } from '../../src/renderer/lib/lifespan-scale.js';

describe('lifespan slider', () => {
  it('runs from 5 minutes to 1 year and never beyond', () => {
    expect(positionToSeconds(0)).toBe(MIN_LIFESPAN_SECONDS);
    expect(positionToSeconds(SLIDER_STEPS)).toBe(MAX_LIFESPAN_SECONDS);
    expect(positionToSeconds(-50)).toBe(MIN_LIFESPAN_SECONDS);
    expect(positionToSeconds(SLIDER_STEPS * 2)).toBe(MAX_LIFESPAN_SECONDS);
  });

  it('lands exactly on every preset from that preset’s own position', () => {
    for (const name of PRESET_NAMES) {
      expect(positionToSeconds(secondsToPosition(LIFESPAN_PRESETS[name]))).toBe(LIFESPAN_PRESETS[name]);
    }
  });

  it('grows monotonically, so dragging right never shortens the life', () => {
    let last = 0;
    for (let p = 0; p <= SLIDER_STEPS; p += 1) {
      const s = positionToSeconds(p);
      expect(s).toBeGreaterThanOrEqual(last);
      last = s;
    }
  });

  it('spends a fair share of the track on short lives (logarithmic, not linear)', () => {
    expect(secondsToPosition(LIFESPAN_PRESETS['1d'])).toBeGreaterThan(SLIDER_STEPS / 3);
    expect(secondsToPosition(LIFESPAN_PRESETS['1h'])).toBeGreaterThan(SLIDER_STEPS / 10);
  });

  it('snaps to 5 minutes, hours or days depending on size', () => {
    expect(snapLifespan(1000)).toBe(900);
    expect(snapLifespan(3 * 3600 + 1500)).toBe(3 * 3600);
    expect(snapLifespan(2 * 86_400 + 13 * 3600)).toBe(3 * 86_400);
  });

  it('names the preset a value equals', () => {
    expect(presetOf(7 * 86_400)).toBe('7d');
    expect(presetOf(7 * 86_400 + 1)).toBeUndefined();
  });
});
