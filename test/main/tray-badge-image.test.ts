import { describe, expect, it } from 'vitest';
import { badgeGlyph, drawBadge, type Bitmap } from '../../src/main/tray-badge-image.js';

/** A plain icon: every pixel the same grey, opaque. */
function icon(size: number): Bitmap {
  const data = new Uint8Array(size * size * 4);
  for (let i = 0; i < data.length; i += 4) data.set([0x80, 0x80, 0x80, 0xff], i);
  return { width: size, height: size, data };
}

function pixel(b: Bitmap, x: number, y: number): number[] {
  const at = (y * b.width + x) * 4;
  return Array.from(b.data.subarray(at, at + 4));
}

const RED = [0x26, 0x26, 0xdc, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];
const GREY = [0x80, 0x80, 0x80, 0xff];

function count(b: Bitmap, colour: number[]): number {
  let n = 0;
  for (let y = 0; y < b.height; y++) for (let x = 0; x < b.width; x++) if (pixel(b, x, y).every((v, i) => v === colour[i])) n++;
  return n;
}

describe('drawBadge', () => {
  it('leaves the icon unchanged (as a copy) with nothing pending', () => {
    const base = icon(16);
    const out = drawBadge(base, 0);
    expect(out.data).toEqual(base.data);
    expect(out.data).not.toBe(base.data);
  });

  it.each([16, 32])('draws a red disc top-right with a white digit at %ipx, leaving the rest', (size) => {
    const base = icon(size);
    const out = drawBadge(base, 3);
    expect(pixel(out, size - 1, Math.round(size * 0.3))).toEqual(RED);
    expect(pixel(out, 0, size - 1)).toEqual(GREY);
    expect(count(out, WHITE)).toBeGreaterThan(0);
    expect(count(out, RED)).toBeGreaterThan(count(out, WHITE));
    expect(base.data.every((v, i) => v === (i % 4 === 3 ? 0xff : 0x80))).toBe(true);
  });

  it('draws a different picture for each count up to 9, and one "+" above', () => {
    const pictures = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => Buffer.from(drawBadge(icon(16), n).data).toString('hex'));
    expect(new Set(pictures).size).toBe(9);
    expect(badgeGlyph(10)).toBe('+');
    expect(drawBadge(icon(16), 10).data).toEqual(drawBadge(icon(16), 42).data);
    expect(drawBadge(icon(16), 10).data).not.toEqual(drawBadge(icon(16), 9).data);
  });

  it('refuses pixels that do not match the size', () => {
    expect(() => drawBadge({ width: 16, height: 16, data: new Uint8Array(10) }, 1)).toThrow(RangeError);
  });
});
