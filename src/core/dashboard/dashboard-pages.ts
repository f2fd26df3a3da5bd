/**
 * The few pages the dashboard server writes itself, when it cannot hand over the React app.
 * Fixed text only (nothing from the request is ever written into them), no inline script or
 * style, so the strict CSP holds for them too.
 */
import type { ServerResponse } from 'node:http';

export const PAGE = {
  loginRefused: {
    status: 403,
    title: 'This login link does not work',
    lines: [
      'The link was already used, has expired (links last 10 minutes), or belongs to an engine that has since restarted.',
      'Run `valetkey dashboard-url` on this machine for a new one.',
    ],
  },
  notBuilt: {
    status: 503,
    title: 'The dashboard is not built',
    lines: ['The engine runs, but the dashboard’s files are missing.', 'Run `npm run build`, then restart `valetkey daemon --headless` (or `npm start`).'],
  },
  notFound: {
    status: 404,
    title: 'Not found',
    lines: ['Nothing here. The dashboard is at /.'],
  },
} as const satisfies Record<string, { status: number; title: string; lines: readonly string[] }>;

export type PageName = keyof typeof PAGE;

export function sendPage(res: ServerResponse, name: PageName): void {
  const page = PAGE[name];
  const paragraphs = page.lines.map((line) => `<p>${codeSpans(escapeHtml(line))}</p>`).join('\n    ');
  const html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>${escapeHtml(page.title)} · Valetkey</title></head>
  <body>
    <h1>${escapeHtml(page.title)}</h1>
    ${paragraphs}
  </body>
</html>
`;
  const body = Buffer.from(html, 'utf8');
  res.writeHead(page.status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `backticks` in our fixed text become <code>, after escaping. */
function codeSpans(html: string): string {
  return html.replace(/`([^`]+)`/g, '<code>$1</code>');
}
