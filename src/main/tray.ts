/// <reference types="electron-vite/node" />
/**
 * The tray icon: Electron glue only. What the menu holds is tray-menu.ts, how it maps to a
 * template is tray-template.ts, the badge pixels are tray-badge-image.ts.
 */
import { readFileSync } from 'node:fs';
import { Menu, Tray, app, nativeImage, type NativeImage } from 'electron';
import trayIconPath from '../../build/tray.png?asset';
import trayIcon2xPath from '../../build/tray@2x.png?asset';
import { drawBadge } from './tray-badge-image.js';
import type { TrayAction, TrayItem, trayBadge } from './tray-menu.js';
import { menuTemplate } from './tray-template.js';

export interface ShellTray {
  render(items: readonly TrayItem[], badge: ReturnType<typeof trayBadge>): void;
  destroy(): void;
}

export function createShellTray(platform: NodeJS.Platform, onAction: (action: TrayAction) => void): ShellTray {
  const base = loadTrayImage();
  const tray = new Tray(base);
  tray.setToolTip('Valetkey');
  // Windows opens a tray app's window on a left click; macOS and Linux show the menu.
  if (platform === 'win32') tray.on('click', () => onAction({ type: 'open' }));
  let shownCount = -1;
  return {
    render(items, badge) {
      tray.setContextMenu(Menu.buildFromTemplate(menuTemplate(items, onAction)));
      tray.setToolTip(badge.tooltip);
      app.setBadgeCount(badge.count);
      if (platform === 'darwin') tray.setTitle(badge.title);
      else if (badge.count !== shownCount) tray.setImage(badgedImage(base, badge.count));
      shownCount = badge.count;
    },
    destroy: () => tray.destroy(),
  };
}

function loadTrayImage(): NativeImage {
  const image = nativeImage.createFromPath(trayIconPath);
  image.addRepresentation({ scaleFactor: 2, buffer: readFileSync(trayIcon2xPath) });
  return image;
}

function badgedImage(base: NativeImage, count: number): NativeImage {
  if (count <= 0) return base;
  const image = nativeImage.createEmpty();
  for (const scaleFactor of base.getScaleFactors()) {
    const size = base.getSize(scaleFactor);
    const width = Math.round(size.width * scaleFactor);
    const height = Math.round(size.height * scaleFactor);
    const bitmap = base.toBitmap({ scaleFactor });
    // A representation whose pixels do not match its size is skipped rather than drawn wrongly.
    if (bitmap.length !== width * height * 4) continue;
    const drawn = drawBadge({ width, height, data: bitmap }, count);
    image.addRepresentation({ scaleFactor, width, height, buffer: Buffer.from(drawn.data) });
  }
  return image.isEmpty() ? base : image;
}
