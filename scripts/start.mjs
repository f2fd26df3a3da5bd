/**
 * `npm start`: the desktop app where an Electron binary exists, otherwise the headless engine with
 * its browser dashboard, saying so in one line. Arguments after `npm start --` pass through.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electron-binary.mjs';
import { runForwarding } from './run-forwarding.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);

async function startDesktop(binary) {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  const built = await runForwarding(process.execPath, [electronVite, 'build'], { cwd: root });
  if (built !== 0) return built;
  return runForwarding(binary, ['.', ...args], { cwd: root });
}

function startHeadless(reason) {
  console.log(`No Electron binary on this machine (${reason}); starting headless mode.`);
  return runForwarding(process.execPath, [join(root, 'bin', 'valetkey.mjs'), 'daemon', '--headless', ...args], { cwd: root });
}

const binary = electronBinary();
const code = typeof binary === 'string' ? await startDesktop(binary) : await startHeadless(binary.missing);
process.exitCode = code;
