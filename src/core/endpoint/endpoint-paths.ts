/** The agent endpoint's routes, named once (metadata, the router and the challenges use them). */
export const PATHS = {
  authorizationServer: '/.well-known/oauth-authorization-server',
  protectedResource: '/.well-known/oauth-protected-resource',
  jwks: '/jwks.json',
  deviceAuthorization: '/v1/device_authorization',
  token: '/v1/token',
  revoke: '/v1/revoke',
  vaults: '/v1/vaults',
  resolve: '/v1/resolve',
  fetch: '/v1/fetch',
  credential: '/v1/credential',
  sshKeys: '/v1/ssh/keys',
  sshSign: '/v1/ssh/sign',
  proxyHosts: '/v1/proxy/hosts',
  proxyRequest: '/v1/proxy/request',
  proxyConnect: '/v1/proxy/connect',
  device: '/device',
} as const;
