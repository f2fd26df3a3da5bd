/**
 * The engine's one implementation of the admin API. Transports call `dispatch`, which checks the
 * method's class (read / safe / grant, from the contract's table), validates params, runs the
 * handler and audits what a person did. A refused grant is audited too.
 *
 * The handlers come from the folders that own them (assembled in core/admin-handlers.ts), so this
 * folder imports no feature folder and every feature folder may build on it.
 */
import { ADMIN_METHODS, isAdminMethod, type AdminMethod, type CallContext, type GrantProof, type ResultOf } from '../../shared/admin-api.js';
import { isVkError, VkError } from '../../shared/errors.js';
import type { AuditOutcome, AuditRecord } from '../../shared/model.js';
import type { GrantGuard } from './grant-guard.js';
import { asParams, type Params } from './params.js';

export type Handler<M extends AdminMethod> = (p: Params, ctx: CallContext) => Promise<ResultOf<M>>;
export type Handlers<K extends AdminMethod = AdminMethod> = { readonly [M in K]: Handler<M> };

/** Methods that check a passphrase themselves instead of taking a `grant` proof. */
const SELF_PROVING: ReadonlySet<AdminMethod> = new Set(['unlock', 'openGrantSession', 'changeAdminPassphrase']);

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
    const params = asParams(rawParams ?? {});
    if (ADMIN_METHODS[method] === 'grant' && !SELF_PROVING.has(method)) {
      await this.requireGrant(method, params['grant'] as GrantProof | undefined, ctx);
    }
    try {
      return await this.handlers[method](params, ctx);
    } catch (e) {
      if (SELF_PROVING.has(method) && isVkError(e) && (e.code === 'passphrase_invalid' || e.code === 'rate_limited')) {
        await this.auditRefusal(method, ctx, e.code);
      }
      throw e;
    }
  };

  private async requireGrant(method: AdminMethod, proof: GrantProof | undefined, ctx: CallContext): Promise<void> {
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
