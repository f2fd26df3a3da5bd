export function electronPackageDir(): string | undefined;
export function electronBinary(packageDir?: string | null, env?: NodeJS.ProcessEnv): string | { readonly missing: string };
