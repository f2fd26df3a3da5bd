export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer;
