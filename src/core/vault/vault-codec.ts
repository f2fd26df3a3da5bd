/** Sealing a vault's settings under its own key, bound to the vault id and version. */
import { associatedData, openJson, sealJson } from '../crypto/aead.js';
import type { Sealed, VaultKey } from '../crypto/types.js';
import type { VaultMeta } from './vault-validation.js';

export function sealVaultMeta(key: VaultKey, vaultId: string, version: number, meta: VaultMeta): Sealed {
  return sealJson(key, meta, associatedData('vault-meta', vaultId, version));
}

/** Throws `integrity_error` if the meta was altered, moved, or its version column rolled back. */
export function openVaultMeta(key: VaultKey, vaultId: string, version: number, sealed: Uint8Array): VaultMeta {
  return openJson<VaultMeta>(key, sealed, associatedData('vault-meta', vaultId, version));
}
