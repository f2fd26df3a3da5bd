/**
 * The WWW-Authenticate a resource route of the agent endpoint sends, spelled out literally (RFC
 * 9449 §7.1 with RFC 9728 §5.1's resource_metadata), so tests compare against the wire format and
 * not against the code that makes it. `base` is the listener's canonical URL.
 */
export function dpopChallenge(base: string, error?: string): string {
  const err = error === undefined ? '' : `error="${error}", `;
  return `DPoP ${err}algs="Ed25519 EdDSA ES256", resource_metadata="${base}/.well-known/oauth-protected-resource"`;
}
