/** The four formats, on rows built to be awkward: commas, quotes, line breaks, formulas, pipes, equals signs. */
import { describe, expect, it } from 'vitest';
import { cefRow } from '../../../src/core/audit-out/cef-format.js';
import { CSV_COLUMNS, csvCell, csvHeader, csvRow } from '../../../src/core/audit-out/csv-format.js';
import { formatterFor } from '../../../src/core/audit-out/export-formats.js';
import { ocsfEvent } from '../../../src/core/audit-out/ocsf-format.js';
import { syslogMessage } from '../../../src/core/audit-out/syslog-message.js';
import type { AuditRow } from '../../../src/shared/model.js';

function row(overrides: Partial<AuditRow> = {}): AuditRow {
  return {
    seq: 7, ts: Date.UTC(2030, 0, 2, 3, 4, 5, 678), actor: 'agent', agent: 'ci-bot', tokenId: 'jti-1', keyThumbprint: 'thumb',
    action: 'secret.read', vaultId: 'v1', entryId: 'e1', field: 'password', reason: 'deploy', outcome: 'allowed',
    errorCode: null, approvalId: null, detail: null, hash: 'ab'.repeat(32), ...overrides,
  };
}

/** A small RFC 4180 reader, to prove the writer's output parses back to the same cells. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let cell = '';
  let cells: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      cells.push(cell);
      cell = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      cells.push(cell);
      rows.push(cells);
      cells = [];
      cell = '';
      i++;
    } else {
      cell += c;
    }
  }
  return rows;
}

describe('CSV (RFC 4180)', () => {
  it('has the documented stable columns and quotes what needs quoting', () => {
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    const text = csvRow({ row: row({ reason: 'pay "rent", now\nplease', detail: { n: 1 } }), prevHash: 'cd'.repeat(32) });
    expect(text.endsWith('\r\n')).toBe(true);
    const [cells] = parseCsv(text);
    expect(cells).toHaveLength(CSV_COLUMNS.length);
    // A line break in an older row is written as an escape: it can never start a new record.
    expect(text.split('\r\n')).toHaveLength(2);
    expect(cells?.[CSV_COLUMNS.indexOf('reason')]).toBe('pay "rent", now\\u000aplease');
    expect(cells?.[CSV_COLUMNS.indexOf('time')]).toBe('2030-01-02T03:04:05.678Z');
    expect(cells?.[CSV_COLUMNS.indexOf('detail')]).toBe('{"n":1}');
    expect(cells?.[CSV_COLUMNS.indexOf('prev_hash')]).toBe('cd'.repeat(32));
  });

  it('defuses formulas: cells starting with = + - @ tab or CR get a leading apostrophe', () => {
    for (const evil of ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\tcmd', '\rcmd']) {
      const cell = csvCell(evil);
      const [parsed] = parseCsv(`${cell}\r\n`);
      expect(parsed?.[0]).toBe(`'${evil.replace('\t', '\\u0009').replace('\r', '\\u000d')}`);
    }
    expect(csvCell('plain words')).toBe('plain words');
    expect(csvCell(null)).toBe('');
    expect(csvCell(12)).toBe('12');
  });
});

describe('CEF', () => {
  it('escapes the header and the extension, and names the row by seq and hash', () => {
    const line = cefRow({ row: row({ agent: 'a|b', reason: 'x=1\\y\nz', outcome: 'refused', errorCode: 'insufficient_scope', detail: { k: 'v=w' } }), prevHash: '' }, '0.1.0');
    expect(line.startsWith('CEF:0|Valetkey|Valetkey|0.1.0|secret.read|secret.read refused|6|')).toBe(true);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toContain('suser=a|b');
    expect(line).toContain('msg=x\\=1\\\\y\\nz');
    expect(line).toContain('externalId=7');
    expect(line).toContain(`flexString2Label=chainHash flexString2=${'ab'.repeat(32)}`);
    expect(line).toContain('flexString1=insufficient_scope');
    expect(line).toContain('valetkeyDetail={"k":"v\\=w"}');
    const header = line.split('|').slice(0, 7).join('|');
    expect(cefRow({ row: row({ action: 'a.b' }), prevHash: '' }, 'v|2')).toContain('|v\\|2|');
    expect(header).not.toContain('a|b');
  });
});

describe('OCSF', () => {
  it('maps secret access to API Activity (6003) and token and approval events to Authentication (3002)', () => {
    const read = ocsfEvent({ row: row(), prevHash: '' }, '0.1.0');
    expect(read).toMatchObject({ class_uid: 6003, category_uid: 6, activity_id: 2, type_uid: 600302, status_id: 1, time: row().ts });
    expect(read['metadata']).toMatchObject({ uid: '7', sequence: 7, product: { name: 'Valetkey' } });
    expect(read['resources']).toEqual([{ type: 'vault', uid: 'v1' }, { type: 'entry', uid: 'e1', data: { field: 'password' } }]);
    expect((read['unmapped'] as { valetkey: { hash: string } }).valetkey.hash).toBe('ab'.repeat(32));

    const issue = ocsfEvent({ row: row({ action: 'token.issue' }), prevHash: '' }, '0.1.0');
    expect(issue).toMatchObject({ class_uid: 3002, category_uid: 3, activity_id: 3, type_uid: 300203 });
    const approval = ocsfEvent({ row: row({ action: 'approval.decide', actor: 'person', agent: null, outcome: 'ok' }), prevHash: '' }, '0.1.0');
    expect(approval).toMatchObject({ class_uid: 3002, activity_id: 99, user: { name: 'person', type: 'person' } });
    const refused = ocsfEvent({ row: row({ outcome: 'refused', errorCode: 'invalid_token' }), prevHash: '' }, '0.1.0');
    expect(refused).toMatchObject({ status_id: 2, status: 'Failure', status_code: 'invalid_token', severity_id: 3 });
    const vault = ocsfEvent({ row: row({ action: 'vault.create', actor: 'person' }), prevHash: '' }, '0.1.0');
    expect(vault).toMatchObject({ class_uid: 6003, activity_id: 1 });
  });
});

describe('JSON Lines', () => {
  it('writes the row with its hash and checkpoint, one object per line', () => {
    const f = formatterFor('jsonl', '0.1.0');
    const line = f.row({ row: row({ reason: 'two\nlines' }), prevHash: '', checkpoint: { keyId: 'k', signature: 'sig' } });
    expect(line.split('\n')).toEqual([expect.any(String), '']);
    expect(JSON.parse(line)).toMatchObject({ seq: 7, reason: 'two\nlines', hash: 'ab'.repeat(32), checkpoint: { keyId: 'k', signature: 'sig' } });
  });
});

describe('tripwire alerts in the streams', () => {
  const alert = row({ actor: 'engine', action: 'alert.canary', outcome: 'refused', errorCode: 'invalid_token', detail: { rule: 'canary', done: 'revoked' } });

  it('are high severity in CEF and OCSF whatever their outcome, and carry the evidence', () => {
    expect(cefRow({ row: alert, prevHash: '' }, '1.0').split('|')[6]?.startsWith('8')).toBe(true);
    expect(cefRow({ row: { ...alert, outcome: 'ok' }, prevHash: '' }, '1.0').split('|')[6]?.startsWith('8')).toBe(true);
    expect(cefRow({ row: alert, prevHash: '' }, '1.0')).toContain('valetkeyDetail={"rule":"canary","done":"revoked"}');
    expect(ocsfEvent({ row: { ...alert, outcome: 'ok' }, prevHash: '' }, '1.0')).toMatchObject({ severity_id: 4, severity: 'High' });
    // An ordinary allowed read stays informational.
    expect(ocsfEvent({ row: row(), prevHash: '' }, '1.0')).toMatchObject({ severity_id: 1 });
    expect(cefRow({ row: row(), prevHash: '' }, '1.0').split('|')[6]?.startsWith('3')).toBe(true);
  });

  it('are syslog severity 1 (alert)', () => {
    const id = { facility: 10, hostname: 'host', procId: '1' };
    expect(syslogMessage(alert, id).startsWith(`<${10 * 8 + 1}>1 `)).toBe(true);
    expect(syslogMessage(row(), id).startsWith(`<${10 * 8 + 6}>1 `)).toBe(true);
  });
});
