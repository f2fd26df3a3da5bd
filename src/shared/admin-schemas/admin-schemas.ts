/**
 * One schema per admin method's params, keyed by method: a method without a schema, or a schema
 * that disagrees with the AdminApi param types (a field missing, added or of another type), does
 * not compile. The engine parses every call's params with these before a handler runs.
 *
 * This module loads zod (~80 ms): import it lazily (`await import(...)`), never from an agent
 * command's path or the engine's start-up path.
 */
import type { z } from 'zod';
import type { AdminMethod, ParamsOf } from '../admin-api.js';
import { agentSchemas } from './agent-schemas.js';
import { auditSchemas } from './audit-schemas.js';
import { transferSchemas } from './transfer-schemas.js';
import { engineSchemas, vaultSchemas } from './vault-schemas.js';
import { parseWith } from './parse-params.js';
import type { Agrees } from '../schema-agrees.js';

export const ADMIN_SCHEMAS = {
  ...engineSchemas,
  ...vaultSchemas,
  ...agentSchemas,
  ...auditSchemas,
  ...transferSchemas,
} as const satisfies { readonly [M in AdminMethod]: z.ZodType };

type Schemas = typeof ADMIN_SCHEMAS;
type Disagreements = { [M in AdminMethod as Agrees<Schemas[M], ParamsOf<M>> extends true ? never : M]: Agrees<Schemas[M], ParamsOf<M>> };
// Compile-time proof that every schema agrees with its method's params; the error names the method and the field.
export const _adminSchemasAgree: Disagreements = {};
// And no schema for a method the contract lacks.
export const _noExtraSchemas: Exclude<keyof Schemas, AdminMethod> extends never ? true : never = true;

/**
 * The params of one call, parsed with its method's schema (fields it does not name are dropped);
 * `invalid_request` naming the field otherwise.
 */
export function parseAdminParams<M extends AdminMethod>(method: M, params: unknown): ParamsOf<M> {
  // _adminSchemasAgree proves each schema's output is its method's ParamsOf; TypeScript cannot follow the generic key.
  const schema: z.ZodType = ADMIN_SCHEMAS[method];
  return parseWith(schema, params) as ParamsOf<M>;
}
