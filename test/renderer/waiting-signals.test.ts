import { describe, expect, it } from 'vitest';
import { badgeIcon, shouldNotify, waitingTitle } from '../../src/renderer/lib/waiting-signals.js';

describe('waiting signals', () => {
  it('puts the count in the title only while something waits', () => {
    expect(waitingTitle(0)).toBe('Valetkey');
    expect(waitingTitle(1)).toBe('(1) An agent is waiting — Valetkey');
    expect(waitingTitle(3)).toBe('(3) Agents are waiting — Valetkey');
  });

  it('draws a badge with the count on the tab icon, capped at 9+', () => {
    expect(decodeURIComponent(badgeIcon(0))).not.toContain('<circle');
    expect(decodeURIComponent(badgeIcon(2))).toContain('>2</text>');
    expect(decodeURIComponent(badgeIcon(12))).toContain('>9+</text>');
    expect(badgeIcon(1)).toMatch(/^data:image\/svg\+xml,/);
  });

  it('notifies when a request arrives, not when one is answered', () => {
    expect(shouldNotify(0, 1)).toBe(true);
    expect(shouldNotify(2, 1)).toBe(false);
    expect(shouldNotify(1, 1)).toBe(false);
  });
});
