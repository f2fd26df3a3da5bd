/**
 * Splunk HTTP Event Collector: batches of events POSTed to {url}/services/collector/event with
 * `Authorization: Splunk <token>`, the events one JSON object after another (HEC's batch form).
 * Each event is the audit row with its seq and hash; `fields.seq` makes the seq an indexed field
 * so a search can drop duplicates. A 200 answer confirms the whole batch.
 */
import { hostname } from 'node:os';
import type { AuditRow, SplunkHecSinkConfig } from '../../shared/model.js';
import { rowRecord } from './export-row.js';
import { postJson, requireSuccess } from './http-post.js';
import type { SinkTransport } from './sink-transport.js';

export const HEC_PATH = '/services/collector/event';
export const HEC_SOURCE = 'valetkey';
export const HEC_SOURCETYPE = 'valetkey:audit';

export function hecEndpoint(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${HEC_PATH}`;
  return url;
}

export function hecEvent(row: AuditRow, config: SplunkHecSinkConfig, host: string): Record<string, unknown> {
  return {
    time: row.ts / 1000,
    host,
    source: HEC_SOURCE,
    sourcetype: config.sourcetype ?? HEC_SOURCETYPE,
    ...(config.index !== undefined ? { index: config.index } : {}),
    event: rowRecord(row),
    fields: { seq: String(row.seq), action: row.action, outcome: row.outcome },
  };
}

export function openHecTransport(config: SplunkHecSinkConfig, token: Uint8Array, timeoutMs: number): SinkTransport {
  const url = hecEndpoint(config.url);
  const host = hostname();
  let confirmedSeq = 0;
  const post = async (body: string) => {
    const headers = { authorization: `Splunk ${Buffer.from(token).toString('utf8')}` };
    requireSuccess(await postJson(url, body, headers, { timeoutMs, ...(config.caPem !== undefined ? { caPem: config.caPem } : {}) }), 'HEC receiver');
  };
  return {
    async deliver(rows) {
      const last = rows.at(-1);
      if (last === undefined) return;
      await post(rows.map((r) => JSON.stringify(hecEvent(r, config, host))).join('\n'));
      confirmedSeq = last.seq;
    },
    confirmed: () => confirmedSeq,
    healthy: () => true,
    sendTest: () => post(JSON.stringify({ time: Date.now() / 1000, host, source: HEC_SOURCE, sourcetype: config.sourcetype ?? HEC_SOURCETYPE, event: { type: 'valetkey.test' } })),
    close: () => token.fill(0),
  };
}
