/**
 * The admin method `stageUpload`: the desktop app's drag and drop hands the dropped file's bytes
 * over IPC (no 64 KiB cap there), base64 in a JSON-shaped message. The browser dashboard streams
 * raw bytes to its own upload route instead; both end in the engine's UploadStore.
 */
import { VkError } from '../../shared/errors.js';
import { UPLOAD_LIMITS, type StagedUpload } from '../../shared/model.js';
import type { Handlers, RecordAudit } from '../admin/admin-service.js';
import type { UploadStore } from './upload-store.js';

export interface UploadHandlerDeps {
  readonly uploads: UploadStore;
  readonly audit: RecordAudit;
}

const MAX_BASE64 = Math.ceil(UPLOAD_LIMITS.maxBytes / 3) * 4;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The decoded bytes; refuses anything but plain base64 (Buffer.from would skip junk silently). */
export function decodeBase64Upload(v: string): Buffer {
  if (v.length > MAX_BASE64) throw new VkError('upload_too_large');
  if (v.length % 4 !== 0 || !BASE64.test(v)) throw new VkError('invalid_request', '`contentBase64` is not valid base64');
  return Buffer.from(v, 'base64');
}

export function uploadHandlers(deps: UploadHandlerDeps): Handlers<'stageUpload'> {
  return {
    stageUpload: async (p, ctx) => {
      const { name } = p;
      const bytes = decodeBase64Upload(p.contentBase64);
      let staged: StagedUpload;
      try {
        staged = await deps.uploads.stageBytes(name, bytes);
      } finally {
        // The file's plaintext: not left in this buffer once it is on disk.
        bytes.fill(0);
      }
      await auditStaged(deps.audit, deps.uploads, staged, ctx.via);
      return staged;
    },
  };
}

/** Audited with the size only (a file name can say more than it should); no row, no upload. */
export async function auditStaged(audit: RecordAudit, uploads: UploadStore, staged: StagedUpload, via: string): Promise<void> {
  try {
    await audit({ actor: 'person', action: 'vault.import_upload', outcome: 'ok', detail: { via, bytes: staged.bytes } });
  } catch (e) {
    uploads.discard(staged.uploadId);
    throw e;
  }
}
