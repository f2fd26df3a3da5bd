/**
 * The "Add an audit stream" form and its translation into the engine's AuditSinkInput. Numbers
 * arrive as input text; empty optional fields are left out so the engine's defaults apply.
 */
import type { AuditSinkConfig, AuditSinkInput, AuditSinkKind, SyslogTransport } from '../../shared/model.js';

export interface SinkForm {
  readonly name: string;
  readonly kind: AuditSinkKind;
  readonly transport: SyslogTransport;
  readonly host: string;
  readonly port: string;
  readonly facility: string;
  readonly url: string;
  readonly index: string;
  readonly sourcetype: string;
  readonly batchSize: string;
  readonly caPem: string;
  /** HEC token or webhook HMAC key: sealed by the engine, never shown again. */
  readonly credential: string;
  readonly startAt: 'now' | 'oldest';
  readonly enabled: boolean;
}

export const EMPTY_SINK_FORM: SinkForm = {
  name: '',
  kind: 'syslog',
  transport: 'tcp',
  host: '',
  port: '514',
  facility: '',
  url: '',
  index: '',
  sourcetype: '',
  batchSize: '',
  caPem: '',
  credential: '',
  startAt: 'now',
  enabled: true,
};

export const SINK_KIND_LABELS: Readonly<Record<AuditSinkKind, string>> = {
  syslog: 'Syslog (RFC 5424)',
  splunk_hec: 'Splunk HTTP Event Collector',
  webhook: 'Webhook (signed JSON)',
};

/** Whole numbers as numbers; anything else is passed through for the engine to refuse with its own message. */
function numberOf(text: string): number | string {
  const t = text.trim();
  return /^\d+$/.test(t) ? Number(t) : t;
}

function optional<K extends string>(key: K, text: string, asNumber = false): Partial<Record<K, string | number>> {
  const t = text.trim();
  if (t === '') return {};
  return { [key]: asNumber ? numberOf(t) : t } as Partial<Record<K, string | number>>;
}

export function sinkConfigOf(form: SinkForm): AuditSinkConfig {
  switch (form.kind) {
    case 'syslog':
      return {
        kind: 'syslog',
        transport: form.transport,
        host: form.host.trim(),
        port: numberOf(form.port),
        ...optional('facility', form.facility, true),
        ...(form.transport === 'tls' ? optional('caPem', form.caPem) : {}),
      } as AuditSinkConfig;
    case 'splunk_hec':
      return {
        kind: 'splunk_hec',
        url: form.url.trim(),
        ...optional('index', form.index),
        ...optional('sourcetype', form.sourcetype),
        ...optional('batchSize', form.batchSize, true),
        ...optional('caPem', form.caPem),
      } as AuditSinkConfig;
    case 'webhook':
      return { kind: 'webhook', url: form.url.trim(), ...optional('batchSize', form.batchSize, true), ...optional('caPem', form.caPem) } as AuditSinkConfig;
  }
}

export function toSinkInput(form: SinkForm): AuditSinkInput {
  return {
    name: form.name.trim(),
    config: sinkConfigOf(form),
    ...(form.kind !== 'syslog' && form.credential !== '' ? { credential: form.credential } : {}),
    startAt: form.startAt,
    enabled: form.enabled,
  };
}

/** Where a sink sends rows, in one line. */
export function sinkTarget(config: AuditSinkConfig): string {
  return config.kind === 'syslog' ? `${config.transport}://${config.host}:${config.port}` : config.url;
}
