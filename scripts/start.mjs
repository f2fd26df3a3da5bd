/**
 * `npm start`: works from a fresh clone. Installs dependencies if they are missing (without the
 * Electron binary, which cannot always be downloaded), builds the CLI, sets Valetkey up on first
 * run (asking for the admin passphrase), then opens the desktop app where an Electron binary
 * exists, or otherwise starts headless mode, saying why in one line.
 * Headless, set-up happens inside the daemon's own process (`daemon --init-if-needed`), so the
 * engine starts unlocked with the passphrase just chosen without it passing through argv, env or a file.
 * Where no OS keychain answers, set-up says so first and offers the passphrase key file;
 * `npm start -- --key-file` chooses it without asking.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runForwarding } from './run-forwarding.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const initArgs = args.filter((a) => a === '--key-file');
const runArgs = args.filter((a) => a !== '--key-file');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const valetkey = join(root, 'bin', 'valetkey.mjs');

async function step(code) {
  if (code !== 0) process.exit(code);
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  console.log('Installing dependencies (npm ci)…');
  await step(await runForwarding(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } }));
}
await step(await runForwarding(npm, ['run', '--silent', 'build:cli'], { cwd: root }));

// The dashboard (and, for the desktop app, main and preload): electron-vite builds without an Electron binary.
// Built before set-up, so nothing keeps the person waiting between choosing a passphrase and using it.
const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
await step(await runForwarding(process.execPath, [electronVite, 'build', '--logLevel', 'warn'], { cwd: root }));

// Imported only now: electron-binary.mjs resolves the installed electron package.
const { electronBinary } = await import('./electron-binary.mjs');
const binary = electronBinary();
if (typeof binary === 'string') {
  await step(await runForwarding(process.execPath, [valetkey, 'init', '--if-needed', ...initArgs], { cwd: root }));
  process.exitCode = await runForwarding(binary, ['.', ...runArgs], { cwd: root });
} else {
  console.log(`No Electron binary on this machine (${binary.missing}); starting headless mode.`);
  // The engine's Node flags, as src/core/daemon/engine-node-flags.ts gives them to Electron's engine process.
  process.exitCode = await runForwarding(process.execPath, ['--max-semi-space-size=2', '--expose-gc', valetkey, 'daemon', '--headless', '--init-if-needed', ...initArgs, ...runArgs], { cwd: root });
}
