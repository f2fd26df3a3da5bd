/**
 * The pending-request badge drawn into the tray icon's pixels: a red disc in the top-right corner
 * with the count (1–9, '+' above). Linux trays show neither a title nor, on most desktops, a
 * tooltip, so the picture is the only badge there is; Windows gets the same. macOS uses the tray
 * title instead (tray.ts). Pixels are 4 bytes each in Electron's bitmap order, BGRA.
 */

export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const RED_BGRA = [0x26, 0x26, 0xdc, 0xff] as const; // #dc2626
const WHITE_BGRA = [0xff, 0xff, 0xff, 0xff] as const;

/** 3×5 glyphs, one string per row. */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '001', '001', '001'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '+': ['000', '010', '111', '010', '000'],
};

export function badgeGlyph(count: number): string {
  return count > 9 ? '+' : String(Math.max(0, Math.floor(count)));
}

/** A new bitmap with the badge; a count of 0 or less returns an unchanged copy. */
export function drawBadge(base: Bitmap, count: number): Bitmap {
  if (base.data.length !== base.width * base.height * 4) throw new RangeError('bitmap size does not match its dimensions');
  const data = new Uint8Array(base.data);
  const out: Bitmap = { width: base.width, height: base.height, data };
  if (count <= 0) return out;
  const radius = Math.max(3, Math.round(Math.min(base.width, base.height) * 0.3));
  const cx = base.width - radius;
  const cy = radius;
  fillDisc(out, cx, cy, radius);
  drawGlyph(out, GLYPHS[badgeGlyph(count)] ?? [], cx, cy, Math.max(1, Math.floor((radius * 1.2) / 5)));
  return out;
}

function fillDisc(bitmap: Bitmap, cx: number, cy: number, radius: number): void {
  for (let y = 0; y < bitmap.height; y++) {
    for (let x = 0; x < bitmap.width; x++) {
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      if (dx * dx + dy * dy <= radius * radius) setPixel(bitmap, x, y, RED_BGRA);
    }
  }
}

function drawGlyph(bitmap: Bitmap, rows: readonly string[], cx: number, cy: number, scale: number): void {
  const left = Math.round(cx - (3 * scale) / 2);
  const top = Math.round(cy - (5 * scale) / 2);
  rows.forEach((row, gy) => {
    for (let gx = 0; gx < row.length; gx++) {
      if (row[gx] !== '1') continue;
      for (let sy = 0; sy < scale; sy++) {
        for (let sx = 0; sx < scale; sx++) setPixel(bitmap, left + gx * scale + sx, top + gy * scale + sy, WHITE_BGRA);
      }
    }
  });
}

function setPixel(bitmap: Bitmap, x: number, y: number, colour: readonly number[]): void {
  if (x < 0 || y < 0 || x >= bitmap.width || y >= bitmap.height) return;
  bitmap.data.set(colour, (y * bitmap.width + x) * 4);
}
