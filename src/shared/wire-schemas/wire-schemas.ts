/**
 * One schema per body of the agent endpoint, keyed by body (the OAuth forms' in oauth-schemas.ts). Each checks the shape (which
 * fields, of which type); the route then checks what needs the engine (a reference's vault, a
 * URL's scheme, a key's curve). The reason is checked by the route before the schema runs
 * (src/shared/reason.ts), so a missing reason stays `reason_required` and its audit row unchanged.
 *
 * A schema that disagrees with the body the SDK sends (sdk/js/src/wire-bodies.ts) does not compile.
 * This module loads zod (~80 ms): the engine imports it lazily, never on an agent command's path.
 */
import { z } from 'zod';
import type * as Sdk from '../../../sdk/js/src/wire-bodies.js';
import { opt } from '../admin-schemas/fields.js';
import { parseWith } from '../admin-schemas/parse-params.js';
import { isJsonObject } from '../json-object.js';
import type { Agrees } from '../schema-agrees.js';
import { OAUTH_SCHEMAS } from './oauth-schemas.js';
import { MAX_CREDENTIAL_URL, MAX_CREDENTIAL_USERNAME, MAX_REFS } from './wire-limits.js';

const reason = z.string();

// z.record copies the object and turns a `__proto__` key into the copy's prototype; these checks
// keep the agent's object as sent, so a header or body key reaches the request it was meant for.
const headers = z.custom<Readonly<Record<string, string>>>((v) => isJsonObject(v) && Object.values(v).every((h) => typeof h === 'string'), {
  error: 'must be an object of name: value strings',
});
const body = z.custom<string | Readonly<Record<string, unknown>> | readonly unknown[]>((v) => typeof v === 'string' || (typeof v === 'object' && v !== null), {
  error: 'must be text, or a JSON object or list',
});

const fetchRequest = z.object({
  method: opt(z.string()),
  url: z.string(),
  headers: opt(headers),
  body: opt(body),
});

const fetchBody = z.object({ request: fetchRequest, reason });

export const WIRE_SCHEMAS = {
  resolve: z.object({ refs: z.array(z.string()).min(1).max(MAX_REFS), reason }),
  fetch: fetchBody,
  proxyRequest: fetchBody,
  credential: z.object({ url: z.string().max(MAX_CREDENTIAL_URL), username: opt(z.string().max(MAX_CREDENTIAL_USERNAME)), reason }),
  sshSign: z.object({
    publicKey: z.string(),
    data: z.string(),
    // An older client may send no flags, or garbage: that asks for the key's default signature.
    flags: z.number().int().nonnegative().catch(0),
    bind: opt(z.object({ hostKey: z.string(), sessionId: z.string(), signature: z.string() })),
    reason,
  }),
  proxyConnect: z.object({ host: z.string(), publicKey: z.string() }),
  ...OAUTH_SCHEMAS,
} as const;

/** The body each schema is for, as the SDK builds it. */
interface SdkBodies {
  readonly resolve: Sdk.ResolveBody;
  readonly fetch: Sdk.FetchBody;
  readonly proxyRequest: Sdk.FetchBody;
  readonly credential: Sdk.CredentialBody;
  readonly sshSign: Sdk.SshSignBody;
  readonly proxyConnect: Sdk.ProxyConnectBody;
  // A form's fields are all optional to its schema (the route decides which are required), so the
  // proof is that the SDK's form, every field optional, has the same fields as text.
  readonly deviceAuthorization: Partial<Sdk.DeviceAuthorizationForm>;
  readonly deviceCode: Partial<Sdk.DeviceCodeForm>;
  readonly enrollment: Partial<Sdk.EnrollmentForm>;
  readonly tokenExchange: Partial<Sdk.TokenExchangeForm>;
  readonly revoke: Partial<Sdk.RevokeForm>;
}

export type WireBody = keyof typeof WIRE_SCHEMAS;
export type WireBodyOf<K extends WireBody> = z.output<(typeof WIRE_SCHEMAS)[K]>;

type Schemas = typeof WIRE_SCHEMAS;
type Disagreements = { [K in WireBody as Agrees<Schemas[K], SdkBodies[K]> extends true ? never : K]: Agrees<Schemas[K], SdkBodies[K]> };
// Compile-time proof that every schema agrees with the SDK's body; the error names the body and the field.
export const _wireSchemasAgree: Disagreements = {};
export const _everyBodyHasASchema: Exclude<keyof SdkBodies, WireBody> extends never ? true : never = true;

/** A body parsed with its schema (fields it does not name are dropped); `invalid_request` naming the field otherwise. */
export function parseWireBody<K extends WireBody>(name: K, input: unknown): WireBodyOf<K> {
  // TypeScript cannot follow the generic key to the schema's output; the key names both.
  const schema: z.ZodType = WIRE_SCHEMAS[name];
  return parseWith(schema, input) as WireBodyOf<K>;
}
