/** Where the SDK looks for the engine, and the rule that a token only ever goes to loopback. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDir, findEndpoint, parseEndpoint } from '../src/endpoint.js';

const dir = mkdtempSync(join(tmpdir(), 'vk-sdk-ep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding the endpoint', () => {
  it('accepts only http on a loopback name with a port; proofs always name 127.0.0.1', () => {
    expect(parseEndpoint('http://localhost:4711')).toMatchObject({ via: 'tcp', host: '127.0.0.1', port: 4711, base: 'http://127.0.0.1:4711', hostHeader: 'localhost:4711' });
    expect(parseEndpoint('http://[::1]:4711')).toMatchObject({ host: '::1', base: 'http://127.0.0.1:4711' });
    for (const bad of ['https://127.0.0.1:4711', 'http://10.0.0.5:4711', 'http://evil.example:4711', 'http://127.0.0.1', 'nonsense']) {
      expect(() => parseEndpoint(bad), bad).toThrow(/127\.0\.0\.1/);
    }
    expect(parseEndpoint('unix:/run/vk.sock')).toMatchObject({ via: 'socket', socketPath: '/run/vk.sock', base: 'http://localhost' });
  });

  it('prefers the option, then VALETKEY_AGENT_SOCKET, then VALETKEY_AGENT_URL, then the discovery file', () => {
    const env = { VALETKEY_AGENT_SOCKET: '/s.sock', VALETKEY_AGENT_URL: 'http://127.0.0.1:1' };
    expect(findEndpoint('http://127.0.0.1:2', env)).toMatchObject({ port: 2 });
    expect(findEndpoint(undefined, env)).toMatchObject({ socketPath: '/s.sock' });
    expect(findEndpoint(undefined, { VALETKEY_AGENT_URL: 'http://127.0.0.1:1' })).toMatchObject({ port: 1 });
  });

  it('reads the discovery file: the socket when it exists, else the URL', async () => {
    const sock = join(dir, 'agent.sock');
    writeFileSync(join(dir, 'discovery.json'), JSON.stringify({ issuer: 'http://127.0.0.1:5', url: 'http://127.0.0.1:5', socketPath: sock, pid: 1 }));
    expect(findEndpoint(undefined, { VALETKEY_HOME: dir })).toMatchObject({ via: 'tcp', port: 5 });
    const server = createServer().listen(sock);
    await new Promise((r) => server.once('listening', r));
    try {
      expect(findEndpoint(undefined, { VALETKEY_HOME: dir })).toMatchObject({ via: 'socket', socketPath: sock });
    } finally {
      server.close();
    }
    expect(() => findEndpoint(undefined, { VALETKEY_HOME: join(dir, 'none') })).toThrow(expect.objectContaining({ code: 'engine_unreachable' }));
  });

  it('computes the platform data directory as the engine does', () => {
    expect(dataDir({ HOME: '/h' }, 'linux')).toBe('/h/.local/share/valetkey');
    expect(dataDir({ HOME: '/h', XDG_DATA_HOME: '/x' }, 'linux')).toBe('/x/valetkey');
    expect(dataDir({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Application Support/Valetkey');
    expect(dataDir({ VALETKEY_HOME: '/v', HOME: '/h' }, 'linux')).toBe('/v');
  });
});
