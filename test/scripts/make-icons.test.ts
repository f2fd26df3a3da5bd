import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync, crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderIcon, writeIcons } from '../../scripts/make-icons.mjs';
import { encodePng } from '../../scripts/png.mjs';

interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint8Array;
}

/** An independent reader for what encodePng writes: checks signature, CRCs and filter bytes. */
function decodePng(png: Buffer): DecodedPng {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const body = png.subarray(offset + 4, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(body));
    const type = body.subarray(0, 4).toString('ascii');
    if (type === 'IHDR') [width, height] = [body.readUInt32BE(4), body.readUInt32BE(8)];
    if (type === 'IDAT') idat.push(body.subarray(4));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  expect(raw.length).toBe(height * (1 + width * 4));
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 4)]).toBe(0);
    pixels.set(raw.subarray(y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4)), y * width * 4);
  }
  return { width, height, pixels };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vk-icons-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('encodePng', () => {
  it('round-trips pixels through an independent decoder', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const decoded = decodePng(encodePng(3, 2, pixels));
    expect(decoded).toMatchObject({ width: 3, height: 2 });
    expect([...decoded.pixels]).toEqual([...pixels]);
  });

  it('refuses a buffer of the wrong size', () => {
    expect(() => encodePng(2, 2, new Uint8Array(3))).toThrow();
  });
});

describe('make-icons', () => {
  it('writes a 512 px icon, 16 and 32 px tray icons and an SVG', () => {
    writeIcons(dir);
    expect(decodePng(readFileSync(join(dir, 'icon.png')))).toMatchObject({ width: 512, height: 512 });
    expect(decodePng(readFileSync(join(dir, 'tray.png')))).toMatchObject({ width: 16, height: 16 });
    expect(decodePng(readFileSync(join(dir, 'tray@2x.png')))).toMatchObject({ width: 32, height: 32 });
    expect(readFileSync(join(dir, 'icon.svg'), 'utf8')).toMatch(/^<svg [^>]*viewBox="0 0 512 512"/);
  });

  it('draws a transparent corner, a blue tile and a white key', () => {
    const size = 512;
    const px = renderIcon(size);
    const at = (x: number, y: number) => [...px.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)];
    expect(at(0, 0)[3]).toBe(0);
    const [r, , b, a] = at(256, 60);
    expect(a).toBe(255);
    expect(b).toBeGreaterThan((r ?? 0) + 100);
    expect(at(Math.round(0.6 * size), 256)).toEqual([255, 255, 255, 255]);
  });

  it('the committed build/ icons are what the script draws', () => {
    const committed = decodePng(readFileSync(new URL('../../build/icon.png', import.meta.url)));
    expect([...committed.pixels]).toEqual([...renderIcon(512)]);
  });
});
