/**
 * Lint for the whole repository, and the layering rule (STYLE.md habit 1): a lower layer never
 * imports a higher one. Layers are folders under src/; each gets its own forbidden imports.
 * Relative paths are matched by their leading `../` so an import that climbs into another layer
 * is caught at any depth.
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const builtins = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/\//g, '\\/'));

/** A no-restricted-imports pattern for imports that climb out of a folder into one of `layers`. */
const intoLayers = (layers, message) => ({ regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`, message });
const packages = (names, message) => ({ regex: `^(${names.join('|')})(/|$)`, message });
const nodeBuiltins = (message) => ({ regex: `^(node:|(${builtins.join('|')})(/|$))`, message });

const layer = (folder, patterns) => ({
  files: [`${folder}/**/*.{ts,tsx,mts,cts,js,mjs}`],
  rules: { 'no-restricted-imports': ['error', { patterns }] },
});

const CORE = [
  packages(['electron', 'react', 'react-dom'], 'The engine (src/core) is plain Node: no Electron, no React.'),
  intoLayers(['main', 'preload', 'renderer', 'cli', 'mcp'], 'The engine (src/core) may not import the shells (main, preload, renderer, cli, mcp).'),
];
const ROUTE_INTO_ROUTE = {
  regex: '^\\./[^/]*-routes?(\\.js)?$',
  message: 'An endpoint route may not import another route: move what both need into a module of its own.',
};
/**
 * The admin contract's plumbing (dispatch, grants, params, transports) is below the feature folders
 * that own admin handlers: they build on it, so it imports none of them, nor the registry above.
 */
const ADMIN_FEATURES = ['audit-out', 'backup', 'dashboard', 'import', 'tokens', 'tripwires', 'daemon', 'endpoint'];
const ADMIN_INTO_FEATURE = {
  regex: `^(\\.\\./)+((${ADMIN_FEATURES.join('|')})(/|$)|admin-handlers(\\.js)?$)`,
  message: 'src/core/admin may not import a feature folder that builds on it (or core/admin-handlers.ts): give the handler to its folder and add it in admin-handlers.ts.',
};
/** Folders whose admin handlers name what they need in a deps interface, instead of taking the whole Engine. */
const WITHOUT_ENGINE = ['import', 'backup', 'tripwires', 'tokens', 'audit-out'];
const INTO_WHOLE_ENGINE = {
  regex: '^\\.\\./engine(\\.js)?$',
  message: 'This folder takes what it needs through a deps interface, not the whole Engine (which exposes the database and every key).',
};
/** SQL that names the `audit` table: only the ledger's folder (and the schema's migrations) may hold it. */
const AUDIT_SQL = /\b(FROM|JOIN|INTO|UPDATE|TABLE)\s+audit(?![\w-])/.source;
const AUDIT_TABLE_MESSAGE = 'Only src/core/audit/ touches the `audit` table: add a named method to AuditLedger or AuditRows and call that.';
const INTO_ENGINE = {
  regex: '^\\.\\./[^./]',
  message: 'src/core/crypto, store and fs are the engine\'s foundations: they may import only src/shared, Node and packages.',
};

export default defineConfig(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '.vk-test-*/**', 'bench/.tmp/**', 'sdk/python/**', '**/*.d.ts'],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  layer('src/core', CORE),
  // Routes share helpers through modules of their own, never through another route.
  {
    files: ['src/core/endpoint/*-route.ts', 'src/core/endpoint/*-routes.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...CORE, ROUTE_INTO_ROUTE] }] },
  },
  {
    files: ['src/core/admin/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...CORE, ADMIN_INTO_FEATURE] }] },
  },
  {
    files: WITHOUT_ENGINE.map((folder) => `src/core/${folder}/*.ts`),
    rules: { 'no-restricted-imports': ['error', { patterns: [...CORE, INTO_WHOLE_ENGINE] }] },
  },
  // The engine's foundations import nothing else of the engine, so every folder may build on them.
  {
    files: ['src/core/crypto/*.ts', 'src/core/store/*.ts', 'src/core/fs/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [...CORE, INTO_ENGINE] }] },
  },
  // One owner per table: the hash chain's rows are read and deleted only through the ledger's folder.
  {
    files: ['src/**/*.{ts,tsx,mts,cts,js,mjs}'],
    ignores: ['src/core/audit/**', 'src/core/store/migrations/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: `Literal[value=/${AUDIT_SQL}/]`, message: AUDIT_TABLE_MESSAGE },
        { selector: `TemplateElement[value.raw=/${AUDIT_SQL}/]`, message: AUDIT_TABLE_MESSAGE },
      ],
    },
  },
  layer('src/shared', [
    packages(['electron', 'react', 'react-dom'], 'src/shared is imported by every side: no Electron, no React.'),
    intoLayers(['core', 'main', 'preload', 'renderer', 'cli', 'mcp'], 'src/shared may not import any other layer.'),
  ]),
  layer('src/cli', [
    packages(['electron', 'react', 'react-dom'], 'The CLI is plain Node: no Electron, no React.'),
    intoLayers(['main', 'preload', 'renderer'], 'The CLI may not import the desktop shell or the dashboard (main, preload, renderer).'),
  ]),
  layer('src/mcp', [
    packages(['electron', 'react', 'react-dom'], 'The MCP server is plain Node: no Electron, no React.'),
    intoLayers(['main', 'preload', 'renderer', 'cli'], 'The MCP server may not import the shells (main, preload, renderer, cli).'),
  ]),
  layer('src/renderer', [
    packages(['electron'], 'The renderer reaches Electron only through window.valetkey (the preload).'),
    nodeBuiltins('The renderer runs in a sandboxed page: no Node modules.'),
    intoLayers(['core', 'main', 'preload', 'cli'], 'The renderer may import only src/shared and its own files.'),
  ]),
  layer('src/preload', [
    { regex: '^(?!electron$)(?!\\.{1,2}/)', message: 'The sandboxed preload may import only electron and src/shared.' },
    { regex: '^(\\.\\./)+(?!shared/)[^.]', message: 'The sandboxed preload may import only electron and src/shared.' },
  ]),
);
