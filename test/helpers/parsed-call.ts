/** Calls one handler as AdminService does after the grant check: params parsed by the method's schema first. */
import type { AdminMethod, CallContext, ResultOf } from '../../src/shared/admin-api.js';
import type { Handler, Handlers } from '../../src/core/admin/admin-service.js';
import { loadAdminSchemas } from '../../src/core/admin/admin-service.js';

export async function parsedCall<K extends AdminMethod>(handlers: Handlers<K>, method: K, params: unknown, ctx: CallContext): Promise<ResultOf<K>> {
  const { parseAdminParams } = await loadAdminSchemas();
  const handler: Handler<K> = handlers[method];
  return handler(parseAdminParams(method, params), ctx);
}
