import { LIFESPAN_PRESETS } from '../../../shared/model.js';
import { formatDuration } from '../../lib/format-time.js';
import { positionToSeconds, PRESET_NAMES, presetOf, secondsToPosition, SLIDER_STEPS } from '../../lib/lifespan-scale.js';

/** A logarithmic slider from 5 minutes to 1 year, with preset buttons for the usual choices. */
export function LifespanPicker({ seconds, onChange }: { readonly seconds: number; readonly onChange: (seconds: number) => void }) {
  const preset = presetOf(seconds);
  return (
    <fieldset className="lifespan">
      <legend>Lifespan</legend>
      <div className="row">
        <input
          type="range"
          className="grow"
          min={0}
          max={SLIDER_STEPS}
          value={secondsToPosition(seconds)}
          onChange={(e) => onChange(positionToSeconds(Number(e.target.value)))}
          aria-label="Lifespan"
          aria-valuetext={formatDuration(seconds)}
          data-testid="token-lifespan"
        />
        <output className="lifespan-value" data-testid="token-lifespan-value">
          {formatDuration(seconds)}
        </output>
      </div>
      <div className="row presets">
        {PRESET_NAMES.map((name) => (
          <button
            key={name}
            type="button"
            className="button-small"
            aria-pressed={preset === name}
            onClick={() => onChange(LIFESPAN_PRESETS[name])}
            data-testid={`token-lifespan-${name}`}
          >
            {name}
          </button>
        ))}
      </div>
    </fieldset>
  );
}
