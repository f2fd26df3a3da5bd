/**
 * The engine's one implementation of the admin API. Transports call `dispatch`, which checks the
 * method's class (read / safe / grant, from the contract's table), validates params, runs the
 * handler and audits what a person did. A refused grant is audited too.
 */
import { ADMIN_METHODS, isAdminMethod, type AdminMethod, type CallContext, type GrantProof, type ResultOf } from '../../shared/admin-api.js';
import { isVkError, VkError } from '../../shared/errors.js';
import type { AuditOutcome } from '../../shared/model.js';
import type { Engine } from '../engine.js';
import { asParams, type Params } from './params.js';
import { entryHandlers } from './entry-handlers.js';
import { engineHandlers } from './engine-handlers.js';
import { vaultHandlers } from './vault-handlers.js';
import { auditHandlers } from './audit-handlers.js';
import { tokenHandlers } from './token-handlers.js';
import { deviceHandlers } from './device-handlers.js';
import { approvalHandlers } from './approval-handlers.js';
import { dashboardHandlers } from '../dashboard/dashboard-handlers.js';
import { vaultTransferHandlers } from '../backup/vault-transfer-handlers.js';
import { auditOutHandlers } from '../audit-out/audit-out-handlers.js';
import { uploadHandlers } from '../import/upload-handlers.js';
import { tripwireHandlers } from '../tripwires/tripwire-handlers.js';

export type Handler<M extends AdminMethod> = (p: Params, ctx: CallContext) => Promise<ResultOf<M>>;
export type Handlers<K extends AdminMethod = AdminMethod> = { readonly [M in K]: Handler<M> };

/** Methods that check a passphrase themselves instead of taking a `grant` proof. */
const SELF_PROVING: ReadonlySet<AdminMethod> = new Set(['unlock', 'openGrantSession', 'changeAdminPassphrase']);

export class AdminService {
  private readonly handlers: Handlers;

  constructor(private readonly engine: Engine) {
    this.handlers = {
      ...engineHandlers(engine),
      ...vaultHandlers(engine),
      ...entryHandlers(engine),
      ...auditHandlers(engine),
      ...tokenHandlers({ tokens: engine.tokens, tripwires: engine.tripwires }),
      ...tripwireHandlers(engine),
      ...deviceHandlers(engine.device),
      ...approvalHandlers(engine.approvals),
      ...dashboardHandlers(engine),
      ...vaultTransferHandlers(engine),
      ...auditOutHandlers(engine),
      ...uploadHandlers(engine),
    };
  }

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
      this.engine.grants.require(proof, ctx);
    } catch (e) {
      await this.auditRefusal(method, ctx, isVkError(e) ? e.code : 'internal_error');
      throw e;
    }
  }

  private async auditRefusal(method: AdminMethod, ctx: CallContext, code: string): Promise<void> {
    await this.engine.audit({
      actor: 'engine',
      action: 'admin.grant_refused',
      outcome: 'refused' satisfies AuditOutcome,
      errorCode: code,
      detail: { method, via: ctx.via },
    });
  }
}
