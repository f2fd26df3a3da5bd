/**
 * Webhook: POSTs each batch as JSON, signed so the receiver knows it came from this Valetkey:
 *   X-Valetkey-Timestamp: unix seconds
 *   X-Valetkey-Signature: sha256=hex(HMAC-SHA256(key, timestamp + "." + body))
 *   X-Valetkey-Seq: first-last
 * Body: {"type":"valetkey.audit","version":1,"fromSeq":…,"toSeq":…,"rows":[…]}. Any 2xx confirms
 * the batch; anything else is retried with backoff, the same batch again (same seqs).
 */
import { createHmac } from 'node:crypto';
import type { AuditRow, WebhookSinkConfig } from '../../shared/model.js';
import { rowRecord } from './export-row.js';
import { postJson, requireSuccess } from './http-post.js';
import type { SinkTransport } from './sink-transport.js';

export const WEBHOOK_HEADERS = {
  timestamp: 'x-valetkey-timestamp',
  signature: 'x-valetkey-signature',
  seq: 'x-valetkey-seq',
} as const;

export function webhookSignature(key: Uint8Array, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

export function webhookBody(rows: readonly AuditRow[]): string {
  return JSON.stringify({ type: 'valetkey.audit', version: 1, fromSeq: rows[0]?.seq ?? 0, toSeq: rows.at(-1)?.seq ?? 0, rows: rows.map((r) => rowRecord(r)) });
}

export function openWebhookTransport(config: WebhookSinkConfig, key: Uint8Array, timeoutMs: number, now: () => number): SinkTransport {
  const url = new URL(config.url);
  let confirmedSeq = 0;
  const post = async (body: string, seqs: string) => {
    const timestamp = String(Math.floor(now() / 1000));
    const headers = { [WEBHOOK_HEADERS.timestamp]: timestamp, [WEBHOOK_HEADERS.signature]: webhookSignature(key, timestamp, body), [WEBHOOK_HEADERS.seq]: seqs };
    requireSuccess(await postJson(url, body, headers, { timeoutMs, ...(config.caPem !== undefined ? { caPem: config.caPem } : {}) }), 'webhook receiver');
  };
  return {
    async deliver(rows) {
      const first = rows[0];
      const last = rows.at(-1);
      if (first === undefined || last === undefined) return;
      await post(webhookBody(rows), `${first.seq}-${last.seq}`);
      confirmedSeq = last.seq;
    },
    confirmed: () => confirmedSeq,
    healthy: () => true,
    sendTest: () => post(JSON.stringify({ type: 'valetkey.test', version: 1, fromSeq: 0, toSeq: 0, rows: [] }), '0-0'),
    close: () => key.fill(0),
  };
}
