/**
 * The hash router's routes. A hash (not a path) so the same build works from file:// in Electron
 * and from the headless server without server-side routing.
 */
export type Route =
  | { readonly page: 'vaults'; readonly vaultId?: string; readonly entryId?: string }
  | { readonly page: 'tokens' }
  | { readonly page: 'token-new' }
  | { readonly page: 'activity'; readonly tokenId?: string }
  | { readonly page: 'approvals' }
  | { readonly page: 'alerts' }
  | { readonly page: 'settings' }
  | { readonly page: 'prompt'; readonly approvalId: string }
  | { readonly page: 'device-prompt'; readonly requestId: string };

export type PageName = Route['page'];

const DEFAULT_ROUTE: Route = { page: 'vaults' };

function decode(segment: string | undefined): string | undefined {
  if (segment === undefined || segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `#/vaults/<id>/<entryId>`, `#/tokens/new`, `#/activity?token=<id>`, `#/prompt/<id>`, `#/prompt/device/<id>`, ... */
export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const parts = path.split('/');
  const params = new URLSearchParams(query);
  switch (parts[0]) {
    case 'vaults': {
      const vaultId = decode(parts[1]);
      const entryId = decode(parts[2]);
      return { page: 'vaults', ...(vaultId ? { vaultId } : {}), ...(vaultId && entryId ? { entryId } : {}) };
    }
    case 'tokens':
      return parts[1] === 'new' ? { page: 'token-new' } : { page: 'tokens' };
    case 'activity': {
      const tokenId = params.get('token');
      return tokenId ? { page: 'activity', tokenId } : { page: 'activity' };
    }
    case 'approvals':
      return { page: 'approvals' };
    case 'alerts':
      return { page: 'alerts' };
    case 'settings':
      return { page: 'settings' };
    case 'prompt':
      return promptRoute(parts.slice(1));
    default:
      return DEFAULT_ROUTE;
  }
}

function promptRoute(parts: readonly string[]): Route {
  if (parts[0] === 'device') {
    const requestId = decode(parts[1]);
    return requestId ? { page: 'device-prompt', requestId } : { page: 'approvals' };
  }
  const approvalId = decode(parts[0]);
  return approvalId ? { page: 'prompt', approvalId } : { page: 'approvals' };
}

export function routeHref(route: Route): string {
  const enc = encodeURIComponent;
  switch (route.page) {
    case 'vaults': {
      const vault = route.vaultId === undefined ? '' : `/${enc(route.vaultId)}`;
      const entry = route.vaultId !== undefined && route.entryId !== undefined ? `/${enc(route.entryId)}` : '';
      return `#/vaults${vault}${entry}`;
    }
    case 'tokens':
      return '#/tokens';
    case 'token-new':
      return '#/tokens/new';
    case 'activity':
      return route.tokenId === undefined ? '#/activity' : `#/activity?token=${enc(route.tokenId)}`;
    case 'approvals':
      return '#/approvals';
    case 'alerts':
      return '#/alerts';
    case 'settings':
      return '#/settings';
    case 'prompt':
      return `#/prompt/${enc(route.approvalId)}`;
    case 'device-prompt':
      return `#/prompt/device/${enc(route.requestId)}`;
  }
}

/** Prompt pages fill a small always-on-top window: no navigation bar. */
export function isPromptRoute(route: Route): boolean {
  return route.page === 'prompt' || route.page === 'device-prompt';
}
