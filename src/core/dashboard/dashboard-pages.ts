/**
 * The few pages the dashboard server writes itself, when it cannot hand over the React app.
 * Fixed text only (nothing from the request is ever written into them), no inline script or
 * style, so the strict CSP holds for them too; they link the app's own stylesheet when built.
 */
import type { ServerResponse } from 'node:http';
import { appStylesheet } from './static-files.js';

export const PAGE = {
  loginRefused: {
    status: 403,
    title: 'This login link does not work',
    lines: [
      'Each login link opens the dashboard once. This one was already used, has expired (links last 10 minutes), or belongs to an engine that has since restarted.',
      'To get back in, run `valetkey dashboard-url` in a terminal on this machine and open the new link it prints.',
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

/** `rendererDir`: the built app whose stylesheet the page borrows; without one (or unbuilt), plain HTML. */
export function sendPage(res: ServerResponse, name: PageName, rendererDir?: string): void {
  const page = PAGE[name];
  const css = rendererDir === undefined ? undefined : appStylesheet(rendererDir);
  const link = css === undefined ? '' : `<link rel="stylesheet" href="${escapeHtml(css)}">`;
  const paragraphs = page.lines.map((line) => `<p>${codeSpans(escapeHtml(line))}</p>`).join('\n        ');
  const html = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(page.title)} · Valetkey</title>${link}</head>
  <body>
    <main class="centered" data-testid="server-page" data-page="${name}">
      <div class="card narrow stack">
        <h1>${escapeHtml(page.title)}</h1>
        ${paragraphs}
      </div>
    </main>
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
