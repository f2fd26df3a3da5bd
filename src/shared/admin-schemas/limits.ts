/**
 * Limits of the admin API's params, declared once: the engine's schemas and checks, the dashboard's
 * forms and the CLI's option parsing import them from here. No zod here, so a form or an agent
 * command can import a limit without loading the schema library.
 */
export { MAX_CUSTOM_NAME_CHARS, MAX_TITLE_CHARS, MAX_TOKEN_NAME_CHARS, MAX_VAULT_NAME_CHARS } from '../field-checks.js';
export { MAX_LIFESPAN_SECONDS, MIN_LIFESPAN_SECONDS } from '../model/agent-access.js';

/** Approval windows (a vault's or token's once_per_token, an approval's allow_for): one day at most. */
export const MAX_APPROVAL_MINUTES = 1440;
/** A grant session lives at most this long. */
export const MAX_GRANT_SESSION_MINUTES = 15;
/** A token's own request rate limit. */
export const MAX_REQUESTS_PER_MINUTE = 10_000;
export const MAX_USES_LIMIT = 1_000_000_000;
/** How many vaults a person may list when narrowing an agent's device request. */
export const MAX_NARROWED_VAULTS = 256;
