/**
 * Limits of the agent endpoint's wire bodies, declared once: the schemas and the routes' own checks
 * import them from here. No zod here, so the engine's start-up path can import a limit.
 */

/** The most distinct vk:// references one request (resolve or fetch) may name. */
export const MAX_REFS = 50;
/** The `https://host[:port]` a login is asked for. */
export const MAX_CREDENTIAL_URL = 2048;
export const MAX_CREDENTIAL_USERNAME = 256;
