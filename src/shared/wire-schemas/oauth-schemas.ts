/**
 * One schema per form of the OAuth endpoints (device authorization, each grant at /v1/token,
 * revocation). The body reader has already made every value text, so these name the fields each
 * form carries (any other is dropped) and treat an empty value as omitted (RFC 6749 §3.1); which
 * are required, and the error each absence earns (`invalid_client`, `invalid_scope`, …, as RFC
 * 6749 §5.2 says), stays with the routes.
 */
import { z } from 'zod';

/** A parameter: text, or absent when empty. */
const param = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const OAUTH_SCHEMAS = {
  deviceAuthorization: z.object({ client_id: param, scope: param, reason: param, lifespan: param, dpop_jkt: param }),
  deviceCode: z.object({ grant_type: param, device_code: param, client_id: param }),
  enrollment: z.object({ grant_type: param, enrollment_code: param, client_id: param }),
  tokenExchange: z.object({
    grant_type: param,
    subject_token: param,
    subject_token_type: param,
    actor_jkt: param,
    actor_name: param,
    scope: param,
    expires_in: param,
    requested_token_type: param,
  }),
  revoke: z.object({ token: param }),
} as const;
