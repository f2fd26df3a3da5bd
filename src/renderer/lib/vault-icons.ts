/**
 * The icons a vault can wear, drawn as 24×24 stroke paths (no icon font, no remote asset: the
 * CSP allows neither). A vault whose icon name is not here shows its initial instead.
 */
const circle = (cx: number, cy: number, r: number): string => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
const rect = (x: number, y: number, w: number, h: number): string => `M${x} ${y}h${w}v${h}h${-w}z`;

export const VAULT_ICONS = {
  key: [circle(7, 15, 4), 'M10 12L20 2M16 6l3 3M18.5 3.5l2.5 2.5'],
  lock: [rect(5, 11, 14, 10), 'M8 11V7a4 4 0 0 1 8 0v4'],
  code: ['M8 7l-5 5 5 5M16 7l5 5-5 5'],
  briefcase: [rect(3, 7, 18, 13), 'M9 7V4h6v3M3 13h18'],
  bank: ['M3 10l9-6 9 6zM5 10v8M9.5 10v8M14.5 10v8M19 10v8M3 20h18'],
  cloud: ['M7 18h10a4 4 0 0 0 0-8 6 6 0 0 0-11.5 1.5A3.3 3.3 0 0 0 7 18z'],
  robot: [rect(5, 8, 14, 11), circle(9.5, 13.5, 1.2), circle(14.5, 13.5, 1.2), 'M12 8V5', circle(12, 4, 1)],
  mail: [rect(3, 5, 18, 14), 'M3 6l9 7 9-7'],
  server: [rect(4, 4, 16, 7), rect(4, 13, 16, 7), 'M8 7.5h1M8 16.5h1'],
  star: ['M12 3l2.8 6 6.2.5-4.8 4.2 1.6 6.3-5.8-3.4-5.8 3.4 1.6-6.3L3 9.5 9.2 9z'],
} as const satisfies Record<string, readonly string[]>;

export type VaultIconName = keyof typeof VAULT_ICONS;
export const VAULT_ICON_NAMES = Object.keys(VAULT_ICONS) as VaultIconName[];

export function isVaultIcon(name: string): name is VaultIconName {
  return Object.hasOwn(VAULT_ICONS, name);
}

export const VAULT_COLOURS = ['#4f6bed', '#0ea5e9', '#10b981', '#84cc16', '#f59e0b', '#ef4444', '#ec4899', '#8b5cf6', '#64748b'] as const;

/** The engine stores only #rrggbb; anything else (an older or hand-edited value) gets the default. */
export function safeColour(colour: string): string {
  return /^#[0-9a-f]{6}$/i.test(colour) ? colour : VAULT_COLOURS[0];
}
