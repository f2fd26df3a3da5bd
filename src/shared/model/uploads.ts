/** Import by drag and drop: files staged in the engine's data directory. */

/** Staged uploads: at most 64 MiB each, gone 15 minutes after staging or once imported. */
export const UPLOAD_LIMITS = {
  maxBytes: 64 * 1024 * 1024,
  ttlMs: 15 * 60_000,
} as const;

/** A file the engine holds for an import; `uploadId` is its only name (256 random bits). */
export interface StagedUpload {
  readonly uploadId: string;
  /** The original file name, as a display name only (never a path). */
  readonly name: string;
  readonly bytes: number;
  readonly expiresAt: string;
}
