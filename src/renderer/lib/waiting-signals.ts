/**
 * How the browser dashboard shows that an agent waits for the person while its tab is in the
 * background: the page title, a badge on the tab's icon, and (once allowed) a silent notification.
 */
export const BASE_TITLE = 'Valetkey';

export function waitingTitle(pending: number): string {
  if (pending <= 0) return BASE_TITLE;
  return `(${pending}) ${pending === 1 ? 'An agent is waiting' : 'Agents are waiting'} — ${BASE_TITLE}`;
}

/** The tab icon: a key-coloured square, with a red count when something waits (SVG as a data: URL; the CSP allows data: images). */
export function badgeIcon(pending: number): string {
  const count = pending > 9 ? '9+' : String(pending);
  const badge =
    pending > 0
      ? `<circle cx="22" cy="10" r="10" fill="#dc2626"/><text x="22" y="14" font-size="12" font-family="sans-serif" font-weight="700" text-anchor="middle" fill="#fff">${count}</text>`
      : '';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="6" width="24" height="24" rx="6" fill="#4f6bed"/>${badge}</svg>`;
  return `data:image/svg+xml,${encodeURIComponent(svg)}`;
}

/** A notification only when the count went up: an answered request must not ring again. */
export function shouldNotify(previous: number, pending: number): boolean {
  return pending > previous;
}
