import { niceMax, tallest, type Bucket } from '../lib/chart-buckets.js';
import { axisLabel, bucketTitle } from '../lib/chart-labels.js';

// Wide, because the chart spans the page: the SVG keeps this aspect as it scales.
const W = 1000;
const H = 180;
const LEFT = 36;
const BOTTOM = 22;
const TOP = 8;

/** Accesses over time as stacked bars (allowed below, refused on top), hand-drawn SVG. */
export function ActivityChart({ buckets, testId = 'activity-chart' }: { readonly buckets: readonly Bucket[]; readonly testId?: string }) {
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  if (first === undefined || last === undefined) return null;
  const max = niceMax(tallest(buckets));
  const plotW = W - LEFT - 4;
  const plotH = H - BOTTOM - TOP;
  const slot = plotW / buckets.length;
  const barW = Math.max(1, slot * 0.8);
  const y = (n: number) => (n / max) * plotH;
  const span = last.end - first.start;
  const allowed = buckets.reduce((s, b) => s + b.allowed, 0);
  const refused = buckets.reduce((s, b) => s + b.refused, 0);
  const own = buckets.reduce((s, b) => s + b.own, 0);
  const ticks = [first.start, first.start + span / 2, last.end];

  return (
    <figure className="chart" data-testid={testId} data-allowed={allowed} data-refused={refused}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Agents' accesses over time: ${allowed} allowed, ${refused} refused`}>
        <line className="axis" x1={LEFT} y1={TOP + plotH} x2={W - 4} y2={TOP + plotH} />
        <line className="grid" x1={LEFT} y1={TOP} x2={W - 4} y2={TOP} />
        <text className="axis-label" x={LEFT - 6} y={TOP + 4} textAnchor="end">
          {max}
        </text>
        <text className="axis-label" x={LEFT - 6} y={TOP + plotH} textAnchor="end">
          0
        </text>
        {buckets.map((b, i) => {
          const x = LEFT + i * slot + (slot - barW) / 2;
          const ha = y(b.allowed);
          const hr = y(b.refused);
          return (
            <g key={b.start}>
              <title>{bucketTitle(b.start, b.end, b.allowed, b.refused)}</title>
              <rect className="hit" x={LEFT + i * slot} y={TOP} width={slot} height={plotH} />
              {b.allowed > 0 && <rect className="bar-allowed" x={x} y={TOP + plotH - ha} width={barW} height={ha} />}
              {b.refused > 0 && <rect className="bar-refused" x={x} y={TOP + plotH - ha - hr} width={barW} height={hr} />}
            </g>
          );
        })}
        {ticks.map((t, i) => (
          <text key={t} className="axis-label" x={LEFT + (plotW * i) / 2} y={H - 6} textAnchor={i === 0 ? 'start' : i === 1 ? 'middle' : 'end'}>
            {axisLabel(t, span)}
          </text>
        ))}
      </svg>
      <figcaption className="legend">
        <span className="legend-allowed">Agents allowed {allowed}</span>
        <span className="legend-refused">Agents refused {refused}</span>
        <span className="muted" data-testid="chart-own">Your own actions {own} (not in the bars)</span>
      </figcaption>
    </figure>
  );
}

/** A token's recent activity in a cell of the tokens table. */
export function Sparkline({ buckets, label }: { readonly buckets: readonly Bucket[]; readonly label: string }) {
  const w = 96;
  const h = 24;
  const max = Math.max(1, tallest(buckets));
  const slot = w / Math.max(1, buckets.length);
  const total = buckets.reduce((s, b) => s + b.allowed + b.refused, 0);
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}: ${total} requests`}>
      <title>{`${label}: ${total} requests`}</title>
      <line className="axis" x1="0" y1={h - 0.5} x2={w} y2={h - 0.5} />
      {buckets.map((b, i) => {
        const ha = ((h - 2) * b.allowed) / max;
        const hr = ((h - 2) * b.refused) / max;
        return (
          <g key={b.start}>
            {b.allowed > 0 && <rect className="bar-allowed" x={i * slot + 0.5} y={h - 1 - ha} width={Math.max(1, slot - 1)} height={ha} />}
            {b.refused > 0 && <rect className="bar-refused" x={i * slot + 0.5} y={h - 1 - ha - hr} width={Math.max(1, slot - 1)} height={hr} />}
          </g>
        );
      })}
    </svg>
  );
}
