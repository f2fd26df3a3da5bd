/**
 * Keeps the layering rule honest: lint real snippets as if they sat in each layer and check the
 * rule fires (or stays quiet for what is allowed), so a config edit cannot silently drop it.
 */
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages.filter((m) => m.ruleId === 'no-restricted-imports').length ?? -1;
}

describe('layering rule', () => {
  it('reports electron imported by the engine', async () => {
    expect(await restrictedImports('src/core/x.ts', "import { app } from 'electron';\nvoid app;\n")).toBe(1);
  });

  it.each([
    ['src/core/x.ts', "import 'react';"],
    ['src/core/vault/x.ts', "import '../../main/bootstrap.js';"],
    ['src/core/x.ts', "import '../renderer/App.js';"],
    ['src/core/x.ts', "import '../cli/main.js';"],
    ['src/shared/x.ts', "import '../core/engine.js';"],
    ['src/shared/x.ts', "import 'electron';"],
    ['src/renderer/x.tsx', "import 'node:fs';"],
    ['src/renderer/x.tsx', "import 'fs';"],
    ['src/renderer/x.tsx', "import 'electron';"],
    ['src/renderer/x.tsx', "import '../core/engine.js';"],
    ['src/renderer/x.tsx', "import '../main/csp.js';"],
    ['src/preload/x.ts', "import 'react';"],
    ['src/preload/x.ts', "import 'node:fs';"],
    ['src/preload/x.ts', "import '../main/csp.js';"],
    ['src/preload/x.ts', "import '../core/engine.js';"],
    ['src/shared/x.ts', "import '../cli/main.js';"],
    ['src/shared/model/x.ts', "import '../../mcp/mcp-server.js';"],
    ['src/shared/x.ts', "import '../renderer/App.js';"],
    ['src/cli/commands/x.ts', "import '../../main/bootstrap.js';"],
    ['src/cli/x.ts', "import '../renderer/App.js';"],
    ['src/cli/x.ts', "import 'electron';"],
    ['src/mcp/x.ts', "import '../main/bootstrap.js';"],
    ['src/mcp/x.ts', "import '../renderer/App.js';"],
    ['src/mcp/x.ts', "import '../cli/main.js';"],
    ['src/core/x.ts', "import '../mcp/mcp-server.js';"],
    ['src/core/endpoint/fetch-route.ts', "import './resolve-route.js';"],
    ['src/core/endpoint/proxy-routes.ts', "import './fetch-route.js';"],
    ['src/core/endpoint/token-route.ts', "import './metadata-routes.js';"],
    ['src/core/store/x.ts', "import '../vault/vault-service.js';"],
    ['src/core/crypto/x.ts', "import '../engine.js';"],
    ['src/core/fs/x.ts', "import '../keys/key-store.js';"],
    ['src/core/store/x.ts', "import '../../main/bootstrap.js';"],
    // The route rule keeps the engine's own rule for route files.
    ['src/core/endpoint/fetch-route.ts', "import '../../main/bootstrap.js';"],
    // The admin plumbing is below the folders that own handlers: no cycle through it.
    ['src/core/admin/x.ts', "import '../dashboard/dashboard-handlers.js';"],
    ['src/core/admin/x.ts', "import '../audit-out/audit-out-handlers.js';"],
    ['src/core/admin/x.ts', "import '../backup/vault-transfer-handlers.js';"],
    ['src/core/admin/x.ts', "import '../import/upload-handlers.js';"],
    ['src/core/admin/x.ts', "import '../tripwires/tripwire-handlers.js';"],
    ['src/core/admin/x.ts', "import '../tokens/token-handlers.js';"],
    ['src/core/admin/x.ts', "import '../admin-handlers.js';"],
    ['src/core/admin/transport/x.ts', "import '../../dashboard/dashboard-server.js';"],
    ['src/core/admin/x.ts', "import '../../main/bootstrap.js';"],
    // Feature folders whose handlers take a deps interface never reach for the whole Engine.
    ['src/core/import/x.ts', "import '../engine.js';"],
    ['src/core/backup/x.ts', "import '../engine.js';"],
    ['src/core/tripwires/x.ts', "import '../engine';"],
    ['src/core/tokens/x.ts', "import '../engine.js';"],
    ['src/core/audit-out/x.ts', "import '../engine.js';"],
    ['src/core/tokens/x.ts', "import '../../main/bootstrap.js';"],
  ])('reports %s importing: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBe(1);
  });

  it.each([
    ['src/core/x.ts', "import '../shared/errors.js';"],
    ['src/core/x.ts', "import 'better-sqlite3';"],
    ['src/core/x.ts', "import 'node:fs';"],
    ['src/shared/x.ts', "import './errors.js';"],
    ['src/renderer/x.tsx', "import 'react';"],
    ['src/renderer/x.tsx', "import '../shared/model.js';"],
    ['src/preload/x.ts', "import 'electron';"],
    ['src/preload/x.ts', "import '../shared/admin-api.js';"],
    ['src/preload/x.ts', "import './admin-proxy.js';"],
    ['src/main/x.ts', "import 'electron';"],
    ['src/main/x.ts', "import '../core/engine-process.js';"],
    ['src/cli/x.ts', "import '../core/fs/atomic-file.js';"],
    ['src/cli/commands/x.ts', "import '../../mcp/mcp-agent.js';"],
    ['src/mcp/x.ts', "import '../shared/errors.js';"],
    ['src/core/endpoint/fetch-route.ts', "import './perform-fetch.js';"],
    ['src/core/endpoint/resolve-route.ts', "import './resolve-targets.js';"],
    ['src/core/endpoint/perform-fetch.ts', "import './target-access.js';"],
    ['src/core/endpoint/agent-endpoint.ts', "import './resolve-route.js';"],
    ['src/core/store/x.ts', "import '../../shared/errors.js';"],
    ['src/core/store/x.ts', "import './migrations/index.js';"],
    ['src/core/keys/x.ts', "import '../crypto/aead.js';"],
    ['src/core/admin/x.ts', "import './params.js';"],
    ['src/core/admin/x.ts', "import '../audit/audit-anchor.js';"],
    ['src/core/admin/transport/x.ts', "import '../../net/listener-checks.js';"],
    ['src/core/dashboard/x.ts', "import '../admin/params.js';"],
    ['src/core/x.ts', "import './admin/admin-service.js';"],
    ['src/core/import/x.ts', "import '../engine-init.js';"],
    ['src/core/backup/x.ts', "import '../admin/admin-service.js';"],
  ])('allows %s importing: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBe(0);
  });
});
