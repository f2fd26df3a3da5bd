/**
 * docs/security.md attacks 42-44: reasons are text, not structure, and writing files is a grant.
 * A reason an agent sends ends up in a prompt, the audit log and export files; a line break or a
 * bidi override in it must be refused at the door, and whatever older rows hold must not start a
 * new record in an export.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syslogMessage } from '../../src/core/audit-out/syslog-message.js';
import { AgentClient as SharedAgentClient } from '../../sdk/js/src/agent-client.js';
import { AgentHttp } from '../../sdk/js/src/agent-http.js';
import { DpopKey } from '../../sdk/js/src/dpop-key.js';
import { parseEndpoint } from '../../sdk/js/src/endpoint.js';
import { AUDIT_EXPORT_FORMATS } from '../../src/shared/model.js';
import { BANK_REF, expectRefusalRow, expectRefused, openAttackFixture, type AttackFixture } from './attack-fixture.js';

/** One of each kind the rule names: C0 (CR, LF, NUL, ESC), DEL, C1 (NEL), bidi overrides, isolates and marks. */
const HOSTILE = ['ok\r\nssh-ed25519 AAAA attacker', 'ok\nline', 'ok\u0000nul', 'ok\u001b[31m', 'ok\u007f', 'ok\u0085next', 'ok\u202etxt.exe', 'ok\u2066iso\u2069', 'ok\u200f', 'ok\u061c'];
/** Everything a line-based reader may split on. */
const LINE_BREAK = /\r|\n|\u0085|\u2028|\u2029/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let fx: AttackFixture;
beforeAll(async () => {
  fx = await openAttackFixture();
});
afterAll(async () => {
  await fx.close();
});

describe('reasons are text (42)', () => {
  it('attack 42: a reason with CR, LF, NUL, C1 or a bidi override → 400 invalid_request at every entrance, audited, nothing asked or sent', async () => {
    const { agent, token, tokenId } = await fx.enrolled({ vaults: [fx.accounting.id, fx.personal.id] });
    for (const reason of HOSTILE) {
      const resolve = await fx.attempt(() => agent.call('POST', '/v1/resolve', { token, json: { refs: [BANK_REF], reason } }));
      expectRefused(resolve.res, 400, 'invalid_request');
      expect(resolve.res.text).not.toContain(reason);
      const row = expectRefusalRow(resolve.rows, 'invalid_request', tokenId);
      expect(row.reason).toBeNull();

      const fetch = await fx.attempt(() =>
        agent.call('POST', '/v1/fetch', { token, json: { request: { method: 'GET', url: 'https://api.example/{{vk://Accounting/Bank/password}}' }, reason } }),
      );
      expectRefused(fetch.res, 400, 'invalid_request');
      expectRefusalRow(fetch.rows, 'invalid_request', tokenId);

      const device = await fx.attempt(() =>
        agent.call('POST', '/v1/device_authorization', { form: { client_id: 'ci-bot', scope: `vault:${fx.accounting.id}:read`, reason } }),
      );
      expectRefused(device.res, 400, 'invalid_request');
      for (const r of device.rows) expect(r.reason ?? '').not.toMatch(LINE_BREAK);
    }
    expect(fx.t.engine.approvals.list('pending')).toEqual([]);
    expect(await fx.t.admin.listDeviceRequests({ status: 'pending' })).toEqual([]);
  });

  it('attack 42: the CLI, the MCP server and the SDK refuse such a reason before sending anything (shared client)', async () => {
    const client = new SharedAgentClient(new AgentHttp(parseEndpoint(`http://127.0.0.1:${fx.endpoint.port}`)), DpopKey.generate());
    const before = await fx.mark();
    for (const reason of HOSTILE) {
      const cred = { accessToken: 'not-sent', tokenType: 'DPoP' as const };
      await expect(client.resolve(cred, [BANK_REF], reason)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(client.fetch(cred, { method: 'GET', url: 'https://api.example/' }, reason)).rejects.toMatchObject({ code: 'invalid_request' });
      await expect(client.startDevice({ clientId: 'cli', scope: `vault:${fx.accounting.id}:read`, reason, lifespanSeconds: 3600 })).rejects.toMatchObject({ code: 'invalid_request' });
    }
    // Nothing reached the engine: no row at all.
    expect(await fx.rowsSince(before)).toEqual([]);
  });
});

describe('writing files is a grant (43)', () => {
  it('attack 43: exportAudit with the session secret alone (a read-class caller) → grant_required, no file, audited', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vk-export-'));
    try {
      const target = join(dir, 'authorized_keys');
      const before = await fx.mark();
      await expect(fx.t.admin.exportAudit({ format: 'csv', path: target } as Parameters<typeof fx.t.admin.exportAudit>[0])).rejects.toMatchObject({ code: 'grant_required', status: 403 });
      expect(existsSync(target)).toBe(false);
      const rows = await fx.rowsSince(before);
      expect(rows.map((r) => [r.action, r.outcome, r.errorCode, r.detail?.['method']])).toEqual([['admin.grant_refused', 'refused', 'grant_required', 'exportAudit']]);
      // With the person's grant it writes, new and 0600.
      const summary = await fx.t.admin.exportAudit({ grant: fx.t.grant, format: 'csv', path: target });
      expect(summary.rows).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exports escape what older rows hold (44)', () => {
  it('attack 44: an older row whose reason and agent name hold CR/LF, NEL, U+2028 or bidi controls is one record in every export format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vk-export-'));
    try {
      // The ledger's own writer stands in for a row written before reasons had to be plain text.
      const reason = 'fine\r\nssh-ed25519 AAAA attacker\u0085x\u2028y\u202etxt';
      await fx.t.engine.audit({ actor: 'agent', agent: 'bot\nname', action: 'secret.read', outcome: 'refused', errorCode: 'insufficient_scope', reason });
      await fx.t.engine.ledger.flush();
      const seq = fx.t.engine.ledger.head().seq;
      for (const format of AUDIT_EXPORT_FORMATS) {
        const path = join(dir, `audit.${format}`);
        await fx.t.admin.exportAudit({ grant: fx.t.grant, format, path, fromSeq: seq, toSeq: seq });
        const text = readFileSync(path, 'utf8');
        const records = text.split(format === 'csv' ? '\r\n' : '\n').filter((l) => l !== '');
        // CSV: header + row; JSON Lines: header + row; CEF and OCSF: the row.
        expect(records, format).toHaveLength(format === 'csv' || format === 'jsonl' ? 2 : 1);
        for (const record of records) {
          expect(record, format).not.toMatch(LINE_BREAK);
          expect(record, format).not.toMatch(BIDI);
        }
        expect(text, format).not.toContain('\nssh-ed25519');
        if (format === 'jsonl' || format === 'ocsf') expect(JSON.stringify(JSON.parse(records.at(-1) ?? ''))).toContain('attacker');
      }
      const row = fx.t.engine.ledger.get(seq);
      if (row === undefined) throw new Error('row missing');
      const message = syslogMessage(row, { facility: 1, hostname: 'h', procId: '1' });
      expect(message).not.toMatch(LINE_BREAK);
      expect(message).not.toMatch(BIDI);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
