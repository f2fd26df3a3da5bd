/**
 * Reading the zip archives 1Password (1PUX) and Proton Pass export. Only the member we need is
 * inflated, and only up to a size limit, so a crafted archive cannot make the engine allocate
 * without end.
 */
import { unzipSync } from 'fflate';
import { fileError } from './import-item.js';

export const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04] as const;
const MAX_MEMBER_BYTES = 256 * 1024 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return ZIP_MAGIC.every((b, i) => bytes[i] === b);
}

function unzip(bytes: Uint8Array, file: string, want: (name: string, size: number) => boolean): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes, { filter: (member) => want(member.name, member.originalSize) });
  } catch {
    throw fileError(file, undefined, 'the zip archive is damaged or incomplete (is the file truncated?)');
  }
}

/** Names of the archive's members, without inflating any. */
export function zipMemberNames(bytes: Uint8Array, file: string): readonly string[] {
  const names: string[] = [];
  unzip(bytes, file, (name) => {
    names.push(name);
    return false;
  });
  return names;
}

/** One member's bytes; the error names the archive and the member. */
export function readZipMember(bytes: Uint8Array, file: string, member: string): Uint8Array {
  let tooLarge = false;
  const files = unzip(bytes, file, (name, size) => {
    if (name !== member) return false;
    tooLarge = size > MAX_MEMBER_BYTES;
    return !tooLarge;
  });
  if (tooLarge) throw fileError(file, member, 'this member is larger than 256 MiB');
  const data = files[member];
  if (data === undefined) throw fileError(file, undefined, `the archive has no ${member}`);
  return data;
}
