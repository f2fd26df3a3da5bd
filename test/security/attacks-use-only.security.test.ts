/**
 * docs/security.md attacks 45-46: a use-only agent has no side channel to iterate on. Padding a
 * request answers the same whatever the secret's length (limits hold for the template, each
 * placeholder at a fixed allowance), and a target that echoes the value HTML-escaped or in hex
 * gets it redacted like the plain value.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLACEHOLDER_ALLOWANCE } from '../../src/core/fetch/fetch-request.js';
import { startTargetServer, type ReceivedRequest, type TargetServer } from '../helpers/target-server.js';
import { expectRefusalRow, openAttackFixture, type AttackFixture, type Enrolled } from './attack-fixture.js';

const SHORT = 'vksec-short-1a2b';
const LONG = `vksec-long-${'9'.repeat(1500)}`;
/** Characters every HTML escaper touches, so the named and numeric forms differ from the value. */
const HTMLISH = `vksec-<html>&"quote'-77c1`;
const MAX_BODY = 64 * 1024;

let fx: AttackFixture;
let target: TargetServer;
let echoed: (req: ReceivedRequest, res: ServerResponse) => void = (_req, res) => res.end('ok');
let use: Enrolled;

beforeAll(async () => {
  fx = await openAttackFixture();
  target = await startTargetServer((req, res) => echoed(req, res));
  const grant = fx.t.grant;
  for (const [title, apiKey] of [['Short', SHORT], ['Long', LONG], ['Htmlish', HTMLISH]] as const) {
    await fx.t.admin.createEntry({ grant, vaultId: fx.accounting.id, entry: { title, kind: 'api_key', fields: { apiKey }, allowedHosts: [target.host] } });
  }
  use = await fx.enrolled({ actions: ['use'] });
});
afterAll(async () => {
  await target.close();
  await fx.close();
});

function send(title: string, padding: number): ReturnType<AttackFixture['attempt']> {
  const placeholder = `{{vk://Accounting/${title}/api_key}}`;
  // The body is a string: its budget is its own length plus one allowance for the placeholder.
  const body = `${'p'.repeat(padding)}${placeholder}`;
  return fx.attempt(() => use.agent.call('POST', '/v1/fetch', { token: use.token, json: { request: { method: 'POST', url: `${target.url}/pad`, body }, reason: 'pad to measure' } }));
}

describe('use-only has no side channel (45, 46)', () => {
  it('attack 45: padding a request to find a secret’s length → the same answer for a 16- and a 1500-character value, refused before any value is read', async () => {
    const answers: unknown[] = [];
    for (const title of ['Short', 'Long']) {
      // Exactly at the limit with the placeholder at its full allowance, then one byte over.
      const edge = MAX_BODY - PLACEHOLDER_ALLOWANCE - `{{vk://Accounting/${title}/api_key}}`.length;
      const fits = await send(title, edge);
      const over = await send(title, edge + 1);
      answers.push([fits.res.status, over.res.status, over.res.body?.error]);
      expect(fits.res.status, fits.res.text).toBe(200);
      expect([over.res.status, over.res.body?.error]).toEqual([413, 'payload_too_large']);
      expectRefusalRow(over.rows, 'payload_too_large', use.tokenId);
      expect(over.rows.filter((r) => r.action === 'secret.use' && r.outcome === 'allowed')).toEqual([]);
      for (const secret of [SHORT, LONG]) expect(over.res.text).not.toContain(secret);
    }
    expect(answers[0]).toEqual(answers[1]);
    // Only the two that fit were sent.
    expect(target.received.filter((r) => r.url === '/pad')).toHaveLength(2);
  });

  it('attack 46: a target echoing the value HTML-escaped (named, decimal, hex entities) or in hex (both cases) → every form redacted', async () => {
    const bytes = Buffer.from(HTMLISH, 'utf8');
    const codes = [...HTMLISH].map((c) => c.codePointAt(0) ?? 0);
    const forms = [
      HTMLISH.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;'),
      HTMLISH.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#x27;'),
      codes.map((n) => `&#${n};`).join(''),
      codes.map((n) => `&#x${n.toString(16)};`).join(''),
      codes.map((n) => `&#x${n.toString(16).toUpperCase()};`).join(''),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
    ];
    echoed = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<p>${forms.join('</p><p>')}</p>`);
    };
    try {
      const { res, rows } = await fx.attempt(() =>
        use.agent.call('POST', '/v1/fetch', { token: use.token, json: { request: { method: 'GET', url: `${target.url}/echo?k={{vk://Accounting/Htmlish/api_key}}` }, reason: 'echo test' } }),
      );
      expect(res.status, res.text).toBe(200);
      for (const form of [HTMLISH, ...forms]) expect(res.text).not.toContain(form);
      expect(rows.filter((r) => r.action === 'secret.use' && r.outcome === 'allowed')).toHaveLength(1);
    } finally {
      echoed = (_req, r) => r.end('ok');
    }
  });
});
