import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { TrayAction } from '../../src/main/tray-menu.js';
import { trayMenuModel } from '../../src/main/tray-menu.js';
import { menuTemplate } from '../../src/main/tray-template.js';
import { approval, trayState } from './shell-fixtures.js';

function flatten(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function click(item: MenuItemConstructorOptions | undefined): void {
  if (item?.click === undefined) throw new Error('not clickable');
  // Electron passes (menuItem, window, event); the template ignores them.
  (item.click as () => void)();
}

describe('menuTemplate', () => {
  const received: TrayAction[] = [];
  const template = menuTemplate(trayMenuModel(trayState({ approvals: [approval({ id: 'apr_7' })] })), (a) => received.push(a));
  const all = flatten(template);

  it('maps separators, disabled labels, submenus, checkboxes and radios to Electron’s shapes', () => {
    expect(template[0]).toEqual({ label: 'Valetkey: unlocked', enabled: false });
    expect(all.some((i) => i.type === 'separator')).toBe(true);
    expect(all.find((i) => i.label === 'Settings')?.submenu).toBeInstanceOf(Array);
    expect(all.find((i) => i.label === 'Start Valetkey at login')).toMatchObject({ type: 'checkbox', checked: false });
    expect(all.find((i) => i.label === 'After 15 minutes')).toMatchObject({ type: 'radio', checked: true });
  });

  it('hands each click its own action and nothing else', () => {
    click(all.find((i) => i.label === 'Lock now'));
    click(all.find((i) => i.label?.startsWith('claude-code wants')));
    click(all.find((i) => i.label === 'Never'));
    expect(received).toEqual([
      { type: 'lock' },
      { type: 'open-approval', approvalId: 'apr_7' },
      { type: 'settings', change: { autoLockMinutes: 0 } },
    ]);
  });

  it('gives labels and separators no click', () => {
    expect(template[0]?.click).toBeUndefined();
    expect(all.filter((i) => i.type === 'separator').every((i) => i.click === undefined)).toBe(true);
  });
});
