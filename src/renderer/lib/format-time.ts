/**
 * Human wording for durations and instants, as the dashboards show them. Pure functions of their
 * inputs (the caller passes `now`), so the same text comes out in tests and in the page.
 */
const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;
const YEAR = 365 * DAY;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A lifespan in words: "5 min", "2 h 30 min", "7 days", "1 year". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < MINUTE) return `${s} s`;
  if (s < HOUR) return `${Math.round(s / MINUTE)} min`;
  if (s < DAY) {
    const h = Math.floor(s / HOUR);
    const m = Math.round((s % HOUR) / MINUTE);
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  if (s % YEAR === 0) return plural(s / YEAR, 'year');
  const d = Math.floor(s / DAY);
  const h = Math.round((s % DAY) / HOUR);
  return h === 0 ? plural(d, 'day') : `${plural(d, 'day')} ${h} h`;
}

function toMs(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

/** Time until `at`: "45 s left", "12 min left", "5 h 12 min left", "3 days left"; "expired" once past. */
export function formatTimeLeft(at: string | number, now: number): string {
  const left = Math.floor((toMs(at) - now) / 1000);
  if (!Number.isFinite(left)) return 'unknown';
  if (left <= 0) return 'expired';
  if (left < MINUTE) return `${left} s left`;
  if (left < HOUR) return `${Math.floor(left / MINUTE)} min left`;
  if (left < DAY) {
    const h = Math.floor(left / HOUR);
    const m = Math.floor((left % HOUR) / MINUTE);
    return m === 0 ? `${h} h left` : `${h} h ${m} min left`;
  }
  return `${plural(Math.floor(left / DAY), 'day')} left`;
}

/** Time since `at`: "just now", "40 s ago", "3 min ago", "5 h ago", "2 days ago"; "never" for null. */
export function formatAgo(at: string | number | null, now: number): string {
  if (at === null) return 'never';
  const ago = Math.floor((now - toMs(at)) / 1000);
  if (!Number.isFinite(ago)) return 'unknown';
  if (ago < 10) return 'just now';
  if (ago < MINUTE) return `${ago} s ago`;
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  return `${plural(Math.floor(ago / DAY), 'day')} ago`;
}

/** A local date and time, to the second, for tables and exports people read. */
export function formatDateTime(at: string | number): string {
  const d = new Date(toMs(at));
  if (Number.isNaN(d.getTime())) return 'unknown';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "ab12 cd34 … 9f0e": enough of an RFC 7638 thumbprint to compare by eye, not the whole 43 characters. */
export function formatThumbprint(thumbprint: string | null): string {
  if (thumbprint === null || thumbprint === '') return 'none (bearer)';
  if (thumbprint.length <= 16) return thumbprint;
  return `${thumbprint.slice(0, 4)} ${thumbprint.slice(4, 8)} ${thumbprint.slice(8, 12)} … ${thumbprint.slice(-4)}`;
}
