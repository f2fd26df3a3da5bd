import type { KeyStorageKind } from '../../shared/model.js';
import type { DataPaths } from '../config/data-dir.js';
import type { KeyStore } from './key-store.js';
import { KeychainKeyStore } from './keychain-key-store.js';
import { PassphraseFileKeyStore } from './passphrase-file-key-store.js';

/** The key store a data directory was set up with. Never guessed: it is read from settings. */
export function openKeyStore(kind: KeyStorageKind, paths: DataPaths, installId: string): KeyStore {
  switch (kind) {
    case 'keychain':
      return new KeychainKeyStore({ account: installId });
    case 'key_file':
      return new PassphraseFileKeyStore(paths.keyFile);
  }
}
