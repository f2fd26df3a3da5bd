/**
 * Where an engine keeps its files. One engine per data directory; everything it writes lives
 * here except the sockets, which go in a per-user runtime directory when the platform has one.
 */
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../../sdk/js/src/data-dir.js';
import { VkError } from '../../shared/errors.js';

export interface DataPaths {
  readonly dataDir: string;
  readonly database: string;
  readonly keyFile: string;
  readonly lockFile: string;
  /** 0600: the admin session secret and where the admin API listens. */
  readonly adminInfo: string;
  /** 0600: where the agent endpoint listens (for SDKs and the CLI). */
  readonly discovery: string;
  /** 0700 directory holding the Unix sockets. */
  readonly runtimeDir: string;
  readonly adminSocket: string;
  readonly agentSocket: string;
}

/** Where the engine keeps its files unless told: the SDK's rule, so clients find the same directory. */
export { dataDir as defaultDataDir } from '../../../sdk/js/src/data-dir.js';

/**
 * Sockets live in `$XDG_RUNTIME_DIR/valetkey/<id>` on Linux (a tmpfs only this user can enter),
 * else in the data directory. `<id>` is derived from the data directory so several engines
 * (tests, a second profile) never share a socket. Paths stay short: sockets are limited to ~104 bytes.
 */
export function dataPaths(dataDir: string, env: Env = process.env, platform: NodeJS.Platform = process.platform): DataPaths {
  const id = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
  const runtimeDir =
    platform === 'linux' && env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'valetkey', id) : join(dataDir, 'run');
  return {
    dataDir,
    database: join(dataDir, 'valetkey.db'),
    keyFile: join(dataDir, 'keys.vkkey'),
    lockFile: join(dataDir, 'engine.lock'),
    adminInfo: join(dataDir, 'admin.json'),
    discovery: join(dataDir, 'discovery.json'),
    runtimeDir,
    adminSocket: join(runtimeDir, 'admin.sock'),
    agentSocket: join(runtimeDir, 'agent.sock'),
  };
}

/**
 * Create the data directory (0700) if needed, then check it and everything in it: a directory or
 * file of ours open to group or others is closed (0700 / 0600); a symbolic link, or anything
 * owned by another user, is refused with data_dir_unsafe, never "fixed" (it may not be ours).
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  checkTree(dataDir, process.getuid?.());
}

function checkTree(path: string, uid: number | undefined): void {
  const st = lstatSync(path);
  checkOne(path, st, uid);
  if (st.isDirectory()) for (const name of readdirSync(path)) checkTree(join(path, name), uid);
}

function checkOne(path: string, st: Stats, uid: number | undefined): void {
  if (st.isSymbolicLink()) throw new VkError('data_dir_unsafe', `${path} is a symbolic link: Valetkey writes only to files it created`);
  // Windows has no owners or mode bits to check.
  if (uid === undefined) return;
  if (st.uid !== uid) throw new VkError('data_dir_unsafe', `${path} is owned by uid ${st.uid}, not by this user (uid ${uid})`);
  // Ours, but readable by others (an older Valetkey, a umask of 022): close it, keeping the owner's bits.
  if ((st.mode & 0o077) !== 0) chmodSync(path, st.mode & 0o700);
}
