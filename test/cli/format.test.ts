/** The CLI's text formats for people. */
import { describe, expect, it } from 'vitest';
import { localTime } from '../../src/cli/format.js';

describe('localTime', () => {
  it('reads as Intl’s en-GB date and time would, in the local time zone', () => {
    const intl = (d: Date) => d.toLocaleString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
    for (const iso of ['2026-12-03T09:05:00Z', '2027-01-01T00:00:59Z', '2026-02-28T23:59:00Z', '2030-07-15T12:30:00+02:00']) {
      expect(localTime(iso)).toBe(`${intl(new Date(iso))} (local time)`);
    }
  });

  it('leaves what is not a date as it was', () => {
    expect(localTime('soon')).toBe('soon');
  });
});
