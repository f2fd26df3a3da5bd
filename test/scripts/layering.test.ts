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
  ])('allows %s importing: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toBe(0);
  });
});
