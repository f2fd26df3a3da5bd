/**
 * Where the CLI's agent commands find the engine: the agent client's own lookup (sdk/js), with
 * the data directory the CLI was given. Every way of naming the endpoint works here as in the SDK.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findEndpoint } from '../../../sdk/js/src/endpoint.js';
import { endpointOf } from '../../../src/cli/agent/agent-session.js';
import type { CliContext } from '../../../src/cli/context.js';

const dir = mkdtempSync(join(tmpdir(), 'vk-cli-ep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const discoveryFile = join(dir, 'discovery.json');

describe('the agent endpoint, as the CLI finds it', () => {
  it('takes VALETKEY_AGENT_SOCKET, then VALETKEY_AGENT_URL (loopback, a unix: socket or a bare socket path)', () => {
    expect(findEndpoint(undefined, { VALETKEY_AGENT_SOCKET: '/run/vk/agent.sock', VALETKEY_AGENT_URL: 'http://127.0.0.1:1' }, discoveryFile)).toMatchObject({ via: 'socket', socketPath: '/run/vk/agent.sock', base: 'http://localhost' });
    expect(findEndpoint(undefined, { VALETKEY_AGENT_URL: 'http://localhost:4711' }, discoveryFile)).toEqual({ via: 'tcp', host: '127.0.0.1', port: 4711, base: 'http://127.0.0.1:4711', hostHeader: 'localhost:4711' });
    for (const url of ['unix:/run/vk/agent.sock', 'unix:///run/vk/agent.sock', '/run/vk/agent.sock']) {
      expect(findEndpoint(undefined, { VALETKEY_AGENT_URL: url }, discoveryFile), url).toMatchObject({ via: 'socket', socketPath: '/run/vk/agent.sock' });
    }
  });

  it('refuses anything that would send a token off this machine', () => {
    for (const url of ['https://127.0.0.1:4711', 'http://evil.example:4711', 'http://10.0.0.1:4711', 'http://127.0.0.1']) {
      expect(() => findEndpoint(undefined, { VALETKEY_AGENT_URL: url }, discoveryFile), url).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    }
  });

  it("reads the discovery file of the CLI's data directory, preferring a socket that exists", async () => {
    const ctx = { paths: { discovery: discoveryFile } } as CliContext;
    const saved = { socket: process.env.VALETKEY_AGENT_SOCKET, url: process.env.VALETKEY_AGENT_URL };
    delete process.env.VALETKEY_AGENT_SOCKET;
    delete process.env.VALETKEY_AGENT_URL;
    try {
      expect(() => endpointOf(ctx)).toThrow(expect.objectContaining({ code: 'engine_unreachable' }));
      const sock = join(dir, 'agent.sock');
      writeFileSync(discoveryFile, JSON.stringify({ url: 'http://127.0.0.1:5000', socketPath: sock }));
      expect(endpointOf(ctx).base).toBe('http://127.0.0.1:5000');
      const server = createServer().listen(sock);
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        expect(endpointOf(ctx)).toMatchObject({ via: 'socket', socketPath: sock });
      } finally {
        server.close();
      }
    } finally {
      if (saved.socket !== undefined) process.env.VALETKEY_AGENT_SOCKET = saved.socket;
      if (saved.url !== undefined) process.env.VALETKEY_AGENT_URL = saved.url;
    }
  });
});
