import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { locateEndpoint } from '../../../src/shared/agent-client/endpoint-location.js';

const dir = mkdtempSync(join(tmpdir(), 'vk-loc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('locateEndpoint', () => {
  const discoveryFile = join(dir, 'discovery.json');

  it('takes VALETKEY_AGENT_URL on loopback (proofs name 127.0.0.1) or a unix: socket', () => {
    expect(locateEndpoint({ env: { VALETKEY_AGENT_URL: 'http://localhost:4711' }, discoveryFile })).toEqual({ base: 'http://127.0.0.1:4711', connect: { host: '127.0.0.1', port: 4711 }, hostHeader: 'localhost:4711' });
    expect(locateEndpoint({ env: { VALETKEY_AGENT_URL: 'unix:/run/vk/agent.sock' }, discoveryFile })).toMatchObject({ base: 'http://localhost', connect: { socketPath: '/run/vk/agent.sock' } });
  });

  it('refuses anything that would send a token off this machine', () => {
    for (const url of ['https://127.0.0.1:4711', 'http://evil.example:4711', 'http://10.0.0.1:4711', 'http://127.0.0.1']) {
      expect(() => locateEndpoint({ env: { VALETKEY_AGENT_URL: url }, discoveryFile }), url).toThrow(/VALETKEY_AGENT_URL/);
    }
  });

  it('reads the discovery file, preferring a socket that exists', () => {
    expect(() => locateEndpoint({ env: {}, discoveryFile })).toThrow(/discovery file/);
    writeFileSync(discoveryFile, JSON.stringify({ url: 'http://127.0.0.1:5000', socketPath: join(dir, 'missing.sock') }));
    expect(locateEndpoint({ env: {}, discoveryFile }).base).toBe('http://127.0.0.1:5000');
    writeFileSync(join(dir, 'present.sock'), '');
    writeFileSync(discoveryFile, JSON.stringify({ url: 'http://127.0.0.1:5000', socketPath: join(dir, 'present.sock') }));
    expect(locateEndpoint({ env: {}, discoveryFile }).base).toBe('http://localhost');
  });
});
