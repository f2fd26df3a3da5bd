/**
 * No keychain to reach (no D-Bus, a dead socket, a bus that never answers, a locked collection):
 * every call must end in keychain_unavailable, in bounded time, in a process that exits normally
 * and leaves no key material on disk. Each case runs in a real child process.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSodium, sodium } from '../../../src/core/crypto/sodium.js';
import { keyForms, listFiles, makeTempDir } from './temp-dir.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/keychain-probe.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface ProbeResult { readonly op: string; readonly ok: boolean; readonly code: string | null }
interface ChildOutcome { readonly results: readonly ProbeResult[]; readonly status: number | null; readonly signal: string | null; readonly ms: number; readonly stderr: string }

let tmp: ReturnType<typeof makeTempDir>;
let keys: Uint8Array;

beforeAll(async () => { await loadSodium(); });
beforeEach(() => {
  tmp = makeTempDir('vk-keychain-');
  keys = sodium().randombytes_buf(64);
});
afterEach(() => tmp.cleanup());

/** A minimal environment: our temp dir as HOME and cwd, plus whatever the case sets. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: tmp.dir, XDG_DATA_HOME: path.join(tmp.dir, 'data'), ...extra };
}

/** Run the fixture asynchronously (the silent-bus case needs this process's event loop free). */
function runProbe(op: string, env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<ChildOutcome> {
  const started = Date.now();
  const args = ['--import', TSX, FIXTURE, op, 'probe-account', ...(timeoutMs ? [String(timeoutMs)] : [])];
  const child = spawn(process.execPath, args, { cwd: tmp.dir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdin.end(Buffer.from(keys).toString('hex'));
  return new Promise((resolve) => child.on('close', (status, signal) => {
    clearTimeout(killer);
    resolve({ results: parseResults(stdout), status, signal, ms: Date.now() - started, stderr });
  }));
}

function parseResults(stdout: string): readonly ProbeResult[] {
  return stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ProbeResult);
}

function expectUnavailable(outcome: ChildOutcome, op: string, maxMs: number): void {
  expect(outcome.signal, outcome.stderr).toBeNull();
  expect(outcome.status, outcome.stderr).toBe(0);
  expect(outcome.results).toEqual([{ op, ok: false, code: 'keychain_unavailable' }]);
  expect(outcome.ms).toBeLessThan(maxMs);
}

function expectNoKeyMaterialOnDisk(): void {
  const forms = [...keyForms(keys.subarray(0, 32)), ...keyForms(keys.subarray(32))];
  for (const file of listFiles(tmp.dir)) {
    const content = fs.readFileSync(file);
    for (const form of forms) expect(content.includes(form), `key material in ${file}`).toBe(false);
  }
}

describe('KeychainKeyStore without a reachable keychain', () => {
  const cases: readonly (readonly [string, () => Record<string, string>])[] = [
    ['DBUS_SESSION_BUS_ADDRESS names a socket that does not exist', () => ({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${tmp.dir}/no-such-bus` })],
    ['DBUS_SESSION_BUS_ADDRESS is unset', () => ({})],
    ['DBUS_SESSION_BUS_ADDRESS is unset and XDG_RUNTIME_DIR has no bus', () => ({ XDG_RUNTIME_DIR: tmp.dir })],
  ];
  for (const [name, env] of cases) {
    it(`${name}: create, load and exists report keychain_unavailable`, async () => {
      for (const op of ['create', 'load', 'exists']) expectUnavailable(await runProbe(op, childEnv(env())), op, 15_000);
      expectNoKeyMaterialOnDisk();
    });
  }

  it('a bus that accepts the connection but never answers: bounded by the deadline, not a hang', async () => {
    const socketPath = path.join(tmp.dir, 'silent-bus');
    const silent = net.createServer((c) => c.on('data', () => undefined));
    await new Promise<void>((resolve) => silent.listen(socketPath, resolve));
    try {
      const env = childEnv({ DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath},guid=0123` });
      expectUnavailable(await runProbe('create', env, 1500), 'create', 12_000);
      const byDefault = await runProbe('load', env);
      expectUnavailable(byDefault, 'load', 20_000);
      expect(byDefault.ms).toBeGreaterThanOrEqual(9_000); // the 10 s default deadline, not an instant failure
    } finally {
      silent.close();
    }
    expectNoKeyMaterialOnDisk();
  });
});

const haveTools = ['dbus-run-session', 'gnome-keyring-daemon', 'gdbus'].every((tool) => spawnSync('which', [tool]).status === 0);
const required = process.env['VALETKEY_REQUIRE_KEYCHAIN'] === '1';
if (!haveTools && !required) console.warn('keychain-unavailable.test.ts: locked-collection case SKIPPED (needs dbus-run-session, gnome-keyring-daemon and gdbus).');

describe.skipIf(!haveTools && !required)('KeychainKeyStore with a locked Secret Service collection', () => {
  it('create works while unlocked; after locking, load is keychain_unavailable (not key_missing)', async () => {
    // A private bus and gnome-keyring with HOME in the temp dir: nothing touches the real keyring.
    const probe = `"${process.execPath}" --import "${TSX}" "${FIXTURE}"`;
    const lock = "gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets "
      + "--method org.freedesktop.Secret.Service.Lock \"[objectpath '/org/freedesktop/secrets/collection/login']\" >/dev/null";
    const script = `echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
      ${probe} create locked-account 5000
      ${probe} load locked-account 5000 </dev/null
      ${lock}
      ${probe} load locked-account 5000 </dev/null`;
    const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], {
      cwd: tmp.dir, env: childEnv({ XDG_RUNTIME_DIR: tmp.dir }), input: Buffer.from(keys).toString('hex'), timeout: 60_000, encoding: 'utf8',
    });
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(parseResults(run.stdout)).toEqual([
      { op: 'create', ok: true, code: null },
      { op: 'load', ok: true, code: null },
      { op: 'load', ok: false, code: 'keychain_unavailable' },
    ]);
  });
});
