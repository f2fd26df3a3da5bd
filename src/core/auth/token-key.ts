import type { KeyObject } from 'node:crypto';

/**
 * The engine's token-signing key (Ed25519), as loaded from the keychain. `keyId` is the `kid` put
 * in every token header; verification accepts no other key, and never fetches one.
 */
export interface TokenKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}
