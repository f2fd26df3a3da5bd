import { callerOf } from '../../shared/admin-api.js';
import { VkError } from '../../shared/errors.js';
import type { AuditRecord, EngineStatus } from '../../shared/model.js';
import type { Settings } from '../config/settings.js';
import type { DataPaths } from '../config/data-dir.js';
import type { EngineSigner } from '../keys/signing-key.js';
import type { SigningSeed } from '../crypto/types.js';
import type { EngineKeys, KeyStore } from '../keys/key-store.js';
import { checkPassphraseStrength, hashAdminPassphrase } from '../keys/admin-passphrase.js';
import { exportRecoveryKit } from '../keys/recovery-kit.js';
import { engineProofMessage } from '../keys/engine-identity.js';
import { SETTING } from '../config/settings.js';
import type { Handlers } from './admin-service.js';
import { MAX_GRANT_SESSION_MINUTES } from '../../shared/admin-schemas/limits.js';
import type { GrantGuard } from './grant-guard.js';

type EngineMethods =
  | 'status'
  | 'proveEngine'
  | 'lock'
  | 'unlock'
  | 'openGrantSession'
  | 'closeGrantSession'
  | 'pauseAgents'
  | 'resumeAgents'
  | 'changeAdminPassphrase'
  | 'exportRecoveryKit';

/** The engine's own lifecycle, as its admin methods drive it: status, lock, unlock, pause, grants, passphrase and keys. */
export interface EngineControl {
  readonly grants: Pick<GrantGuard, 'openSession' | 'closeSession' | 'closeAll' | 'checkPassphrase'>;
  readonly keyStore: Pick<KeyStore, 'kind' | 'load' | 'replace'>;
  readonly settings: Pick<Settings, 'get' | 'putAdminVerifier'>;
  readonly clock: () => number;
  /** The engine's signing key while unlocked (it proves the engine to the CLI), and where it listens. */
  readonly signer: Pick<EngineSigner, 'sign'> | undefined;
  readonly paths: Pick<DataPaths, 'adminSocket'>;
  status(): EngineStatus;
  lock(): void;
  unlock(passphrase: string, caller?: string): Promise<void>;
  setPaused(paused: boolean): void;
  requireSigningSeed(): SigningSeed;
  currentKeys(): EngineKeys;
  audit(record: AuditRecord): Promise<unknown>;
}

export function engineHandlers(engine: EngineControl): Handlers<EngineMethods> {
  const person = (action: string, detail?: Record<string, unknown>) =>
    engine.audit({ actor: 'person', action, outcome: 'ok', ...(detail ? { detail } : {}) });

  return {
    status: async () => engine.status(),
    proveEngine: async (p) => {
      const { challenge } = p;
      if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new VkError('invalid_request', 'the challenge must be 32 random bytes in base64url');
      const signer = engine.signer;
      if (signer === undefined) throw new VkError('vault_locked');
      const adminSocket = engine.paths.adminSocket;
      return { signature: Buffer.from(signer.sign(engineProofMessage(challenge, adminSocket))).toString('base64url'), adminSocket };
    },
    lock: async (_p, ctx) => {
      engine.lock();
      await person('engine.lock', { via: ctx.via });
      return engine.status();
    },
    unlock: async (p, ctx) => {
      await engine.unlock(p.passphrase, callerOf(ctx));
      await person('engine.unlock', { via: ctx.via });
      return engine.status();
    },
    openGrantSession: async (p, ctx) => {
      const opened = engine.grants.openSession(p.passphrase, p.minutes ?? MAX_GRANT_SESSION_MINUTES, callerOf(ctx));
      await person('grant_session.open', { via: ctx.via, expiresAt: opened.expiresAt });
      return opened;
    },
    closeGrantSession: async (p) => ({ closed: engine.grants.closeSession(p.session) }),
    pauseAgents: async (_p, ctx) => {
      engine.setPaused(true);
      await person('agents.pause', { via: ctx.via });
      return engine.status();
    },
    resumeAgents: async (_p, ctx) => {
      engine.setPaused(false);
      await person('agents.resume', { via: ctx.via });
      return engine.status();
    },
    changeAdminPassphrase: async (p, ctx) => {
      const { current, next } = p;
      engine.grants.checkPassphrase(current, callerOf(ctx));
      checkPassphraseStrength(next);
      if (next === current) throw new VkError('invalid_request', 'the new passphrase is the same as the current one');
      if (engine.keyStore.kind === 'key_file') {
        // The key file is sealed under the same passphrase: re-seal it first, so a failure leaves the old one working.
        const keys = await engine.keyStore.load(current);
        await engine.keyStore.replace(keys, next);
        keys.master.fill(0);
        keys.signing.fill(0);
      }
      engine.settings.putAdminVerifier(hashAdminPassphrase(next), engine.requireSigningSeed());
      engine.grants.closeAll();
      await person('admin_passphrase.change', { via: ctx.via });
      return { changed: true };
    },
    exportRecoveryKit: async (p, ctx) => {
      const { kitPassphrase } = p;
      checkPassphraseStrength(kitPassphrase);
      const kit = exportRecoveryKit(engine.currentKeys(), kitPassphrase, {
        installId: engine.settings.get(SETTING.installId) ?? '',
        createdAt: new Date(engine.clock()),
      });
      await person('recovery_kit.export', { via: ctx.via });
      return { kit };
    },
  };
}
