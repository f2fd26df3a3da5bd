/**
 * How the dashboard shows unseen tripwire alerts outside the page itself, as plain functions: the
 * tab's title, its favicon, and whether to raise a system notification.
 */
export const BASE_TITLE = 'Valetkey';

export function alertTitle(unseen: number): string {
  return unseen > 0 ? `(${unseen}) Alert · ${BASE_TITLE}` : BASE_TITLE;
}

/** A key glyph; red with a dot while alerts are unseen. Inline SVG, so the strict CSP's img-src data: covers it. */
export function alertFavicon(unseen: number): string {
  const colour = unseen > 0 ? '#c62828' : '#2f5d8a';
  const dot = unseen > 0 ? '<circle cx="25" cy="7" r="7" fill="#c62828" stroke="#fff" stroke-width="2"/>' : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="11" cy="16" r="7" fill="none" stroke="${colour}" stroke-width="4"/><path d="M17 16h12v5M24 16v4" fill="none" stroke="${colour}" stroke-width="4"/>${dot}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** A system notification only where the browser has them and the person allowed them. */
export function shouldNotify(permission: NotificationPermission | 'unsupported'): boolean {
  return permission === 'granted';
}
