import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayItem } from './tray-menu.js';

/**
 * The tray model as Electron's menu template. Only types come from Electron, so the mapping is
 * tested in Node: each click hands its action back, nothing else.
 */
export function menuTemplate(items: readonly TrayItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => templateItem(item, onAction));
}

function templateItem(item: TrayItem, onAction: (action: TrayAction) => void): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'label':
      return { label: item.label, enabled: false };
    case 'submenu':
      return { label: item.label, submenu: menuTemplate(item.items, onAction) };
    case 'item':
      return { label: item.label, enabled: item.enabled, click: () => onAction(item.action) };
    case 'checkbox':
    case 'radio':
      return { type: item.kind, label: item.label, checked: item.checked, click: () => onAction(item.action) };
  }
}
