/** The first eight bytes of every KeePass 2 database (KDBX 3.1 and 4). Kept apart so the CLI can ask for the password without loading kdbxweb. */
export const KDBX_SIGNATURE = [0x03, 0xd9, 0xa2, 0x9a, 0x67, 0xfb, 0x4b, 0xb5] as const;

export function isKdbx(bytes: Uint8Array): boolean {
  return KDBX_SIGNATURE.every((b, i) => bytes[i] === b);
}
