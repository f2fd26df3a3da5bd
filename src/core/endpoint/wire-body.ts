/**
 * The agent endpoint's bodies, parsed with their schemas (src/shared/wire-schemas). The schemas load
 * zod (~80 ms), so not while the engine starts: on the first request that has a body, or when the
 * daemon warms them once it is ready.
 */
import type * as WireSchemas from '../../shared/wire-schemas/wire-schemas.js';
import type { WireBody, WireBodyOf } from '../../shared/wire-schemas/wire-schemas.js';
import type { RequestInput } from './request-body.js';

let schemas: Promise<typeof WireSchemas> | undefined;

export function loadWireSchemas(): Promise<typeof WireSchemas> {
  schemas ??= import('../../shared/wire-schemas/wire-schemas.js');
  return schemas;
}

/** A protected route calls it right after `authenticate` (and the reason check): a caller without a token learns nothing about the body's rules. */
export async function parseBody<K extends WireBody>(name: K, input: RequestInput): Promise<WireBodyOf<K>> {
  const { parseWireBody } = await loadWireSchemas();
  return parseWireBody(name, input);
}
