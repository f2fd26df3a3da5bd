import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ListenerRefused, checkHostHeader, checkOrigin, claimSocketPath, prepareSocketDir } from '../../../src/core/net/listener-checks.js';

let base: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'vk-listener-'));
});
afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

const mode = (path: string): number => lstatSync(path).mode & 0o777;

/** A socket left behind by a process that died without closing it (SIGKILL), as after a crash. */
function leaveStaleSocket(path: string): void {
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script]);
  expect(lstatSync(path).isSocket()).toBe(true);
}

function listenOn(path: string): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer((s) => s.end());
    server.listen(path, () => resolve(server));
  });
}

describe('prepareSocketDir', () => {
  it('creates a missing directory (and its parents) with mode 0700', () => {
    const dir = join(base, 'a', 'b', 'valetkey');
    prepareSocketDir(dir);
    expect(mode(dir)).toBe(0o700);
    expect(() => prepareSocketDir(dir)).not.toThrow();
  });

  it('refuses a 0755 directory and leaves its mode alone', () => {
    const dir = join(base, 'open');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    expect(() => prepareSocketDir(dir)).toThrow(ListenerRefused);
    expect(() => prepareSocketDir(dir)).toThrow(/mode 0755.*chmod 700/);
    expect(mode(dir)).toBe(0o755);
  });

  it('refuses a directory with only a group bit set', () => {
    const dir = join(base, 'group');
    mkdirSync(dir);
    chmodSync(dir, 0o710);
    expect(() => prepareSocketDir(dir)).toThrow(ListenerRefused);
  });

  it('refuses a 0700 directory owned by another uid', () => {
    const dir = join(base, 'theirs');
    mkdirSync(dir, { mode: 0o700 });
    chownSync(dir, 65534, 65534);
    expect(() => prepareSocketDir(dir)).toThrow(/owned by uid 65534/);
    expect(lstatSync(dir).uid).toBe(65534);
  });

  it('refuses a symlink to a good directory', () => {
    const real = join(base, 'real');
    mkdirSync(real, { mode: 0o700 });
    const link = join(base, 'link');
    symlinkSync(real, link);
    expect(() => prepareSocketDir(link)).toThrow(/symbolic link/);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('refuses a regular file where the directory should be', () => {
    const path = join(base, 'file');
    writeFileSync(path, 'x');
    expect(() => prepareSocketDir(path)).toThrow(ListenerRefused);
  });
});

describe('claimSocketPath', () => {
  it('does nothing when the path is free', async () => {
    await expect(claimSocketPath(join(base, 'free.sock'))).resolves.toBeUndefined();
  });

  it('refuses a regular file at the socket path and never deletes it', async () => {
    const path = join(base, 'admin.sock');
    writeFileSync(path, 'not yours');
    await expect(claimSocketPath(path)).rejects.toThrow(ListenerRefused);
    expect(readFileSync(path, 'utf8')).toBe('not yours');
  });

  it('refuses a directory and a symlink at the socket path', async () => {
    const dir = join(base, 'dir.sock');
    mkdirSync(dir);
    await expect(claimSocketPath(dir)).rejects.toThrow(/not a socket/);
    const link = join(base, 'link.sock');
    symlinkSync(join(base, 'elsewhere'), link);
    await expect(claimSocketPath(link)).rejects.toThrow(/not a socket/);
    expect(existsSync(dir)).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('replaces our own stale socket', async () => {
    const path = join(base, 'stale.sock');
    leaveStaleSocket(path);
    await claimSocketPath(path);
    expect(existsSync(path)).toBe(false);
    const server = await listenOn(path);
    server.close();
  });

  it('refuses a stale socket owned by another uid and leaves it', async () => {
    const path = join(base, 'theirs.sock');
    leaveStaleSocket(path);
    chownSync(path, 65534, 65534);
    await expect(claimSocketPath(path)).rejects.toThrow(/owned by uid 65534/);
    expect(lstatSync(path).isSocket()).toBe(true);
  });

  it('refuses a live socket: another engine is listening', async () => {
    const path = join(base, 'live.sock');
    const server = await listenOn(path);
    try {
      await expect(claimSocketPath(path)).rejects.toThrow(/another engine is listening/);
      expect(lstatSync(path).isSocket()).toBe(true);
    } finally {
      server.close();
    }
  });
});

describe('checkHostHeader', () => {
  const raw = (...hosts: string[]): string[] => hosts.flatMap((h) => ['Host', h]).concat(['Accept', '*/*']);

  it('accepts exactly the loopback names with our port, in any case', () => {
    for (const host of ['127.0.0.1:4100', 'localhost:4100', 'LocalHost:4100', '[::1]:4100']) {
      expect(checkHostHeader(raw(host), 4100)).toBe('ok');
    }
  });

  it('forbids other names, other ports and a missing port', () => {
    for (const host of ['evil.example:4100', '127.0.0.1:4101', '127.0.0.1', 'localhost', '127.0.0.2:4100', 'localhost.evil.example:4100', '']) {
      expect(checkHostHeader(raw(host), 4100)).toBe('forbidden');
    }
  });

  it('reports missing and repeated Host', () => {
    expect(checkHostHeader(['Accept', '*/*'], 4100)).toBe('missing_or_repeated');
    expect(checkHostHeader(raw('127.0.0.1:4100', '127.0.0.1:4100'), 4100)).toBe('missing_or_repeated');
    expect(checkHostHeader(['host', '127.0.0.1:4100', 'HOST', 'evil.example:4100'], 4100)).toBe('missing_or_repeated');
  });

  it('over the socket accepts only `localhost`', () => {
    expect(checkHostHeader(raw('localhost'), 0, { socket: true })).toBe('ok');
    expect(checkHostHeader(raw('localhost:4100'), 4100, { socket: true })).toBe('forbidden');
    expect(checkHostHeader(raw('evil.example'), 0, { socket: true })).toBe('forbidden');
  });
});

describe('checkOrigin', () => {
  it('lets requests without Origin through and refuses any Origin not allowlisted', () => {
    expect(checkOrigin({}, [])).toBe(true);
    expect(checkOrigin({ origin: 'https://evil.example' }, [])).toBe(false);
    expect(checkOrigin({ origin: 'null' }, [])).toBe(false);
    expect(checkOrigin({ origin: '' }, [])).toBe(false);
    expect(checkOrigin({ origin: 'http://127.0.0.1:4100' }, ['http://127.0.0.1:4100'])).toBe(true);
    expect(checkOrigin({ origin: 'http://127.0.0.1:4100, https://evil.example' }, ['http://127.0.0.1:4100'])).toBe(false);
  });
});
