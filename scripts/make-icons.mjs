/**
 * Draws the Valetkey icon (a white key on a blue rounded square) from one geometry into
 * build/icon.svg, build/icon.png (512 px) and the tray icons build/tray.png (16 px) and
 * build/tray@2x.png (32 px). Run: node scripts/make-icons.mjs [outDir]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.mjs';

/** Geometry in a unit square; distances below are in the same units. */
const TILE = { inset: 0.04, radius: 0.2, top: [59, 130, 246], bottom: [29, 78, 216] };
const RING = { cx: 0.34, cy: 0.5, outer: 0.17, inner: 0.075 };
const BARS = [
  { x0: 0.46, y0: 0.465, x1: 0.8, y1: 0.535 }, // shaft
  { x0: 0.64, y0: 0.535, x1: 0.7, y1: 0.64 }, // first tooth
  { x0: 0.74, y0: 0.535, x1: 0.8, y1: 0.6 }, // second tooth
];

function boxDistance(x, y, box) {
  const dx = Math.max(box.x0 - x, x - box.x1);
  const dy = Math.max(box.y0 - y, y - box.y1);
  const outside = Math.hypot(Math.max(dx, 0), Math.max(dy, 0));
  return outside + Math.min(Math.max(dx, dy), 0);
}

function tileDistance(x, y) {
  const r = TILE.radius;
  const half = 0.5 - TILE.inset - r;
  const qx = Math.abs(x - 0.5) - half;
  const qy = Math.abs(y - 0.5) - half;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function keyDistance(x, y) {
  const fromCentre = Math.hypot(x - RING.cx, y - RING.cy);
  const ring = Math.max(fromCentre - RING.outer, RING.inner - fromCentre);
  return Math.min(ring, ...BARS.map((bar) => boxDistance(x, y, bar)));
}

/** Anti-aliased coverage from a signed distance measured in pixels. */
const coverage = (distancePx) => Math.min(1, Math.max(0, 0.5 - distancePx));

/** @returns {Uint8Array} size * size RGBA pixels */
export function renderIcon(size) {
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      const tile = coverage(tileDistance(x, y) * size);
      const key = coverage(keyDistance(x, y) * size);
      const bg = TILE.top.map((top, i) => top + (TILE.bottom[i] - top) * y);
      const colour = bg.map((c) => c + (255 - c) * key);
      pixels.set([...colour.map(Math.round), Math.round(255 * tile)], (py * size + px) * 4);
    }
  }
  return pixels;
}

export function iconSvg() {
  const u = (v) => +(v * 512).toFixed(2);
  const rgb = (c) => `rgb(${c.join(',')})`;
  const side = u(1 - 2 * TILE.inset);
  const bars = BARS.map((b) => `<rect x="${u(b.x0)}" y="${u(b.y0)}" width="${u(b.x1 - b.x0)}" height="${u(b.y1 - b.y0)}"/>`);
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512">',
    `<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${rgb(TILE.top)}"/><stop offset="1" stop-color="${rgb(TILE.bottom)}"/></linearGradient></defs>`,
    `<rect x="${u(TILE.inset)}" y="${u(TILE.inset)}" width="${side}" height="${side}" rx="${u(TILE.radius)}" fill="url(#bg)"/>`,
    `<g fill="#fff"><circle cx="${u(RING.cx)}" cy="${u(RING.cy)}" r="${u((RING.outer + RING.inner) / 2)}" fill="none" stroke="#fff" stroke-width="${u(RING.outer - RING.inner)}"/>${bars.join('')}</g>`,
    '</svg>',
    '',
  ].join('\n');
}

/** Writes every icon into `outDir`; returns the files written. */
export function writeIcons(outDir) {
  mkdirSync(outDir, { recursive: true });
  const files = { 'icon.png': 512, 'tray.png': 16, 'tray@2x.png': 32 };
  for (const [name, size] of Object.entries(files)) {
    writeFileSync(join(outDir, name), encodePng(size, size, renderIcon(size)));
  }
  writeFileSync(join(outDir, 'icon.svg'), iconSvg());
  return [...Object.keys(files), 'icon.svg'].map((name) => join(outDir, name));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? fileURLToPath(new URL('../build', import.meta.url));
  for (const file of writeIcons(outDir)) console.log(`wrote ${file}`);
}
