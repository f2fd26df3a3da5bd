/** Axis labels for the time charts: clock times for short spans, dates for long ones. */
const pad = (n: number) => String(n).padStart(2, '0');

export function axisLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs <= 2 * 86_400_000) return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return `${d.getFullYear() === new Date().getFullYear() ? '' : `${d.getFullYear()}-`}${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function bucketTitle(start: number, end: number, allowed: number, refused: number): string {
  const span = end - start;
  return `${axisLabel(start, span * 24)}–${axisLabel(end, span * 24)}: ${allowed} allowed, ${refused} refused`;
}
