/**
 * What the agent endpoint needs from the engine, as one small explicit object (not the Engine),
 * so the endpoint can be tested with a real engine's parts and nothing else.
 */
import type { ApprovalBroker, DeviceFlow, TokenService } from '../agent/agent-services.js';
import type { TokenKey } from '../auth/token-key.js';
import type { VaultStore } from '../vault/vault-store.js';
import type { TripwireService } from '../tripwires/tripwire-service.js';
import type { ApprovalSetting, AuditRecord, AuditRow } from '../../shared/model.js';
import type { CertificateAuthority } from '../proxy-ca/certificate-authority.js';

export interface EndpointServices {
  readonly tokens: TokenService;
  readonly device: DeviceFlow;
  readonly approvals: ApprovalBroker;
  readonly vaults: VaultStore;
  /** Canaries, per-token rules and per-token pause (docs/security.md, attacks 72-81). */
  readonly tripwires: TripwireService;
  /** Resolves once the row is durably committed (group commit); rejects with audit_unavailable. */
  audit(record: AuditRecord): Promise<AuditRow>;
  /** The engine's token-signing key; throws VkError('vault_locked') while there is none. */
  tokenKey(): TokenKey;
  locked(): boolean;
  paused(): boolean;
  /** Milliseconds since the epoch. */
  clock(): number;
  /** At least 32 random bytes for the DPoP-Nonce HMAC; copied at start, the caller may wipe it. */
  readonly nonceSecret: Uint8Array;
  vaultApproval(vaultId: string): ApprovalSetting;
  /** The data directory's CA, which signs the HTTPS proxy's leaf certificates; throws vault_locked while there is none. */
  proxyCa(): CertificateAuthority;
}

/**
 * The issuer (`http://127.0.0.1:<port>`, also every token's `aud`) is only known once the TCP
 * listener is bound, and the engine's TokenService needs it to sign tokens. So the endpoint binds
 * first, then calls this factory with the issuer, then starts answering.
 */
export type EndpointServicesFactory = (issuer: string) => EndpointServices;
