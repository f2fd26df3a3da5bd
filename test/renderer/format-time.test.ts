import { describe, expect, it } from 'vitest';
import { formatAgo, formatDuration, formatThumbprint, formatTimeLeft } from '../../src/renderer/lib/format-time.js';

const NOW = Date.UTC(2025, 5, 1, 12, 0, 0);
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

describe('formatTimeLeft', () => {
  it.each([
    [45, '45 s left'],
    [59 * 60 + 59, '59 min left'],
    [3600, '1 h left'],
    [5 * 3600 + 12 * 60 + 30, '5 h 12 min left'],
    [86_400, '1 day left'],
    [3 * 86_400 + 7000, '3 days left'],
  ])('%i s ahead reads "%s"', (seconds, text) => {
    expect(formatTimeLeft(at(seconds), NOW)).toBe(text);
  });

  it('says expired at and after the moment, for ISO strings and epoch ms alike', () => {
    expect(formatTimeLeft(at(0), NOW)).toBe('expired');
    expect(formatTimeLeft(NOW - 1, NOW)).toBe('expired');
    expect(formatTimeLeft(NOW + 30_000, NOW)).toBe('30 s left');
  });

  it('does not pretend to know an unparsable time', () => {
    expect(formatTimeLeft('not a date', NOW)).toBe('unknown');
  });
});

describe('formatAgo', () => {
  it.each([
    [null, 'never'],
    [at(-3), 'just now'],
    [at(-40), '40 s ago'],
    [at(-3 * 60), '3 min ago'],
    [at(-5 * 3600 - 59), '5 h ago'],
    [at(-86_400), '1 day ago'],
    [at(-2 * 86_400), '2 days ago'],
  ])('%s reads "%s"', (when, text) => {
    expect(formatAgo(when, NOW)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [300, '5 min'],
    [3600, '1 h'],
    [9000, '2 h 30 min'],
    [86_400, '1 day'],
    [7 * 86_400, '7 days'],
    [30 * 86_400, '30 days'],
    [365 * 86_400, '1 year'],
    [86_400 + 3 * 3600, '1 day 3 h'],
  ])('%i s is "%s"', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe('formatThumbprint', () => {
  it('shows enough of a thumbprint to compare by eye, and says when there is none', () => {
    expect(formatThumbprint('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs')).toBe('NzbL sXh8 uDCc … C9Xs');
    expect(formatThumbprint(null)).toBe('none (bearer)');
  });
});
