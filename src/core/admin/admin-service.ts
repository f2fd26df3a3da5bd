/**
 * The engine's one implementation of the admin API. Transports call `dispatch`, which checks the
 * method's class (read / safe / grant, from the contract's table), parses params with the method's
 * schema, runs the handler and audits what a person did. A refused grant is audited too.
 *
 * The handlers come from the folders that own them (assembled in core/admin-handlers.ts), so this
 * folder imports no feature folder and every feature folder may build on it.
 */
import { ADMIN_METHODS, isAdminMethod, type AdminMethod, type CallContext, type ParamsOf, type ResultOf } from '../../shared/admin-api.js';
import { isVkError, VkError } from '../../shared/errors.js';
import type { AuditOutcome, AuditRecord } from '../../shared/model.js';
import type * as AdminSchemas from '../../shared/admin-schemas/admin-schemas.js';
import { isJsonObject } from '../../shared/json-object.js';
import type { GrantGuard } from './grant-guard.js';

/** A handler gets its params parsed by the method's schema: of the contract's type, with no field it does not name. */
export type Handler<M extends AdminMethod> = (p: ParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
export type Handlers<K extends AdminMethod = AdminMethod> = { readonly [M in K]: Handler<M> };

/** Methods that check a passphrase themselves instead of taking a `grant` proof. */
const SELF_PROVING: ReadonlySet<AdminMethod> = new Set(['unlock', 'openGrantSession', 'changeAdminPassphrase']);

let schemas: Promise<typeof AdminSchemas> | undefined;

/**
 * The schemas load zod (~80 ms), so not while the engine starts: on the first admin call, or when
 * the daemon warms them once it is ready.
 */
export function loadAdminSchemas(): Promise<typeof AdminSchemas> {
  schemas ??= import('../../shared/admin-schemas/admin-schemas.js');
  return schemas;
}

/** Writes one audit row (the engine's `audit`); handlers await it before they answer. */
export type RecordAudit = (record: AuditRecord) => Promise<unknown>;

/** What the service itself needs: the grant check and the audit row of a refused grant. */
export interface AdminServiceDeps {
  readonly grants: Pick<GrantGuard, 'require'>;
  readonly audit: RecordAudit;
}

export class AdminService {
  constructor(
    private readonly deps: AdminServiceDeps,
    private readonly handlers: Handlers,
  ) {}

  /** The transports' entry point. */
  readonly dispatch = async (method: string, rawParams: unknown, ctx: CallContext): Promise<unknown> => {
    if (!isAdminMethod(method)) throw new VkError('not_found', 'no such admin method');
    const raw = rawParams ?? {};
    if (!isJsonObject(raw)) throw new VkError('invalid_request', 'The params must be a JSON object.');
    // The proof first: a caller without one learns nothing about the params' rules.
    if (ADMIN_METHODS[method] === 'grant' && !SELF_PROVING.has(method)) {
      await this.requireGrant(method, raw['grant'], ctx);
    }
    const { parseAdminParams } = await loadAdminSchemas();
    try {
      return await this.run(method, parseAdminParams(method, raw), ctx);
    } catch (e) {
      if (SELF_PROVING.has(method) && isVkError(e) && (e.code === 'passphrase_invalid' || e.code === 'rate_limited')) {
        await this.auditRefusal(method, ctx, e.code);
      }
      throw e;
    }
  };

  private run<M extends AdminMethod>(method: M, params: ParamsOf<M>, ctx: CallContext): Promise<ResultOf<M>> {
    const handler: Handler<M> = this.handlers[method];
    return handler(params, ctx);
  }

  private async requireGrant(method: AdminMethod, proof: unknown, ctx: CallContext): Promise<void> {
    try {
      this.deps.grants.require(proof, ctx);
    } catch (e) {
      await this.auditRefusal(method, ctx, isVkError(e) ? e.code : 'internal_error');
      throw e;
    }
  }

  private async auditRefusal(method: AdminMethod, ctx: CallContext, code: string): Promise<void> {
    await this.deps.audit({
      actor: 'engine',
      action: 'admin.grant_refused',
      outcome: 'refused' satisfies AuditOutcome,
      errorCode: code,
      detail: { method, via: ctx.via },
    });
  }
}
