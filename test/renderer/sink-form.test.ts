import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_SINK_FORM, sinkTarget, toSinkInput, type SinkForm } from '../../src/renderer/lib/sink-form.js';
import { openTestEngine, type TestEngine } from '../helpers/engine-fixture.js';

const SYSLOG: SinkForm = { ...EMPTY_SINK_FORM, name: ' siem ', host: ' 127.0.0.1 ', port: '6514', transport: 'tls', facility: '10', enabled: false };
const WEBHOOK: SinkForm = { ...EMPTY_SINK_FORM, name: 'hook', kind: 'webhook', url: 'https://hooks.example/valetkey', credential: 'k'.repeat(32), batchSize: '50', enabled: false, host: 'ignored' };

describe('sink form', () => {
  it('builds only the fields of the chosen kind, numbers as numbers', () => {
    expect(toSinkInput(SYSLOG)).toEqual({
      name: 'siem',
      config: { kind: 'syslog', transport: 'tls', host: '127.0.0.1', port: 6514, facility: 10 },
      startAt: 'now',
      enabled: false,
    });
    expect(toSinkInput(WEBHOOK)).toEqual({
      name: 'hook',
      config: { kind: 'webhook', url: 'https://hooks.example/valetkey', batchSize: 50 },
      credential: 'k'.repeat(32),
      startAt: 'now',
      enabled: false,
    });
  });

  it('says where a sink sends rows', () => {
    expect(sinkTarget(toSinkInput(SYSLOG).config)).toBe('tls://127.0.0.1:6514');
    expect(sinkTarget(toSinkInput(WEBHOOK).config)).toBe('https://hooks.example/valetkey');
  });
});

describe('sink form against the real engine', () => {
  let t: TestEngine;
  let grant: { readonly session: string };

  beforeAll(async () => {
    t = await openTestEngine();
    grant = { session: (await t.admin.openGrantSession({ passphrase: t.grant.passphrase })).session };
  });
  afterAll(async () => {
    await t.close();
  });

  it('the engine accepts what the form builds, and never hands the credential back', async () => {
    await t.admin.addAuditSink({ sink: toSinkInput(SYSLOG), grant });
    await t.admin.addAuditSink({ sink: toSinkInput(WEBHOOK), grant });
    const sinks = await t.admin.listAuditSinks({});
    expect(sinks.map((s) => [s.name, s.kind, sinkTarget(s.config), s.enabled]).sort()).toEqual([
      ['hook', 'webhook', 'https://hooks.example/valetkey', false],
      ['siem', 'syslog', 'tls://127.0.0.1:6514', false],
    ]);
    expect(JSON.stringify(sinks)).not.toContain('k'.repeat(32));
  });

  it('a mistyped port reaches the engine as typed, and comes back as its own message', async () => {
    const error = await t.admin.addAuditSink({ sink: toSinkInput({ ...SYSLOG, name: 'typo', port: '65a' }), grant }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_request' });
    expect((error as Error).message).toMatch(/port/);
  });
});
