/** Params of the import, backup, export and upload methods. Whether a path or upload exists is the engine's to check. */
import { z } from 'zod';
import { IMPORT_FORMATS } from '../model/import-backup.js';
import { granted, opt, text } from './fields.js';

const importRequest = {
  ...granted,
  path: opt(z.string()),
  upload: opt(z.string()),
  format: opt(z.enum(IMPORT_FORMATS)),
  vault: opt(z.string()),
  newVaultName: opt(z.string()),
  kdbxPassword: opt(z.string()),
  keepDuplicates: opt(z.boolean()),
};

const vaultRefs = z.array(text, { error: 'must be a non-empty list of vault ids or names' }).min(1, { error: 'must be a non-empty list of vault ids or names' });

export const transferSchemas = {
  previewImport: z.object(importRequest),
  runImport: z.object(importRequest),
  createBackup: z.object({ ...granted, vaults: vaultRefs, path: text, passphrase: text, force: opt(z.boolean()) }),
  restoreBackup: z.object({
    ...granted,
    path: text,
    passphrase: text,
    asNew: opt(z.string()),
    mergeInto: opt(z.string()),
    keepDuplicates: opt(z.boolean()),
  }),
  // Anything but a literal `true` is "not acknowledged": the engine refuses with a sentence saying why.
  exportBitwarden: z.object({ ...granted, vaults: vaultRefs, path: text, acknowledgePlaintext: z.unknown().optional().transform((v) => v === true), force: opt(z.boolean()) }),
  // The size and alphabet of the base64 are checked by the engine (upload_too_large has its own code).
  stageUpload: z.object({ name: text, contentBase64: z.string() }),
};
