/**
 * The package as published: it builds with tsc (declarations included), its tests type-check, it
 * has no runtime dependency, and its code imports only Node built-ins and its own files (never
 * the main repository's src/).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SDK = join(import.meta.dirname, '..');
const TSC = join(SDK, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
const out = mkdtempSync(join(tmpdir(), 'vk-sdk-build-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('@valetkey/sdk package', () => {
  it('builds to ESM with declarations, and the built module exports the API', async () => {
    execFileSync(process.execPath, [TSC, '-p', join(SDK, 'tsconfig.build.json'), '--outDir', out], { stdio: 'pipe' });
    expect(existsSync(join(out, 'index.d.ts'))).toBe(true);
    const built = (await import(pathToFileURL(join(out, 'index.js')).href)) as Record<string, unknown>;
    expect(typeof built.Valetkey).toBe('function');
    expect(typeof (built.Valetkey as { connect?: unknown }).connect).toBe('function');
    for (const name of ['ValetkeyError', 'ApprovalDeniedError', 'ApprovalTimeoutError', 'TokenExpiredError', 'InvalidTokenError', 'VaultLockedError', 'AgentsPausedError', 'InsufficientScopeError', 'ReasonRequiredError', 'HostNotAllowedError']) {
      expect(typeof built[name], name).toBe('function');
    }
  });

  it('type-checks its sources and tests (strict)', () => {
    expect(() => execFileSync(process.execPath, [TSC, '-p', join(SDK, 'tsconfig.json'), '--noEmit'], { stdio: 'pipe' })).not.toThrow();
  });

  it('has no runtime dependencies and imports nothing outside itself but node:*', () => {
    const pkg = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg.name).toBe('@valetkey/sdk');
    expect(pkg.type).toBe('module');
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const file of readdirSync(join(SDK, 'src'))) {
      const text = readFileSync(join(SDK, 'src', file), 'utf8');
      for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
        expect(spec?.startsWith('node:') || /^\.\/[\w-]+\.js$/.test(spec ?? ''), `${file}: ${spec}`).toBe(true);
      }
    }
  });
});
