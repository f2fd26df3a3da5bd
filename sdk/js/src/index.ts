/** @valetkey/sdk: scoped, expiring, key-bound access to secrets for agents. */
export { Valetkey } from './valetkey.js';
export type { CallOptions, EntryListing, ExchangeOptions, UseRequest, UseResponse, VaultListing } from './valetkey.js';
export type { ConnectOptions } from './connect.js';
export type { UserCodeInfo } from './device-flow.js';
export type { OnWaiting, WaitingInfo } from './waiting.js';
export type { Lifespan } from './lifespan.js';
export { LIFESPAN_PRESETS } from './lifespan.js';
export {
  AgentsPausedError,
  ApprovalDeniedError,
  ApprovalTimeoutError,
  EngineUnreachableError,
  HostNotAllowedError,
  InsufficientScopeError,
  InvalidGrantError,
  InvalidScopeError,
  InvalidTokenError,
  RateLimitedError,
  ReasonRequiredError,
  TokenExpiredError,
  ValetkeyError,
  VaultLockedError,
} from './errors.js';
