export function renderIcon(size: number): Uint8Array;
export function iconSvg(): string;
export function writeIcons(outDir: string): readonly string[];
