/**
 * Checks a sink's configuration at the edge (it arrives as JSON from the admin API) and returns
 * a clean copy with only the known fields. URLs must be http(s) and carry no user name or
 * password: credentials go in the sealed `credential`, never in plain config.
 */
import { VkError } from '../../shared/errors.js';
import { streamHostProblem } from '../../shared/field-checks.js';
import {
  AUDIT_SINK_KINDS, SYSLOG_TRANSPORTS,
  type AuditSinkConfig, type AuditSinkKind, type SplunkHecSinkConfig, type SyslogSinkConfig, type WebhookSinkConfig,
} from '../../shared/model.js';

const MAX_NAME = 64;
const MAX_URL = 2048;
const MAX_PEM = 32 * 1024;
export const DEFAULT_BATCH = 100;
export const MAX_BATCH = 1000;
export const DEFAULT_FACILITY = 13;

type Raw = Readonly<Record<string, unknown>>;

export function checkSinkName(name: unknown): string {
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > MAX_NAME || /[\u0000-\u001f]/.test(name)) {
    throw invalid(`the sink name must be 1 to ${MAX_NAME} printable characters`);
  }
  return name.trim();
}

export function checkSinkConfig(value: unknown): AuditSinkConfig {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('config must be an object');
  const raw = value as Raw;
  const kind = raw['kind'];
  if (!(AUDIT_SINK_KINDS as readonly unknown[]).includes(kind)) throw invalid(`config.kind must be one of ${AUDIT_SINK_KINDS.join(', ')}`);
  switch (kind as AuditSinkKind) {
    case 'syslog':
      return syslogConfig(raw);
    case 'splunk_hec':
      return hecConfig(raw);
    case 'webhook':
      return webhookConfig(raw);
  }
}

/** HEC and webhook sinks need a credential (token, HMAC key); syslog has none. */
export function needsCredential(kind: AuditSinkKind): boolean {
  return kind !== 'syslog';
}

export function checkCredential(value: unknown): string {
  if (typeof value !== 'string' || value.length < 16 || value.length > 4096) {
    throw invalid('the credential (HEC token or webhook key) must be 16 to 4096 characters');
  }
  return value;
}

function syslogConfig(raw: Raw): SyslogSinkConfig {
  const transport = raw['transport'];
  if (!(SYSLOG_TRANSPORTS as readonly unknown[]).includes(transport)) throw invalid(`config.transport must be one of ${SYSLOG_TRANSPORTS.join(', ')}`);
  const host = raw['host'];
  if (typeof host !== 'string') throw invalid('The host must be text: a host name or IP address.');
  const problem = streamHostProblem(host);
  if (problem !== undefined) throw invalid(problem);
  const facility = optionalInt(raw, 'facility', 0, 23);
  const caPem = optionalPem(raw);
  if (caPem !== undefined && transport !== 'tls') throw invalid('config.caPem only applies to the tls transport');
  return {
    kind: 'syslog',
    transport: transport as SyslogSinkConfig['transport'],
    host: host.trim(),
    port: requiredInt(raw, 'port', 1, 65535),
    ...(facility !== undefined ? { facility } : {}),
    ...(caPem !== undefined ? { caPem } : {}),
  };
}

function hecConfig(raw: Raw): SplunkHecSinkConfig {
  const index = optionalText(raw, 'index', 80);
  const sourcetype = optionalText(raw, 'sourcetype', 80);
  return { kind: 'splunk_hec', ...httpConfig(raw), ...(index !== undefined ? { index } : {}), ...(sourcetype !== undefined ? { sourcetype } : {}) };
}

function webhookConfig(raw: Raw): WebhookSinkConfig {
  return { kind: 'webhook', ...httpConfig(raw) };
}

function httpConfig(raw: Raw): { url: string; batchSize?: number; caPem?: string } {
  const url = checkUrl(raw['url']);
  const batchSize = optionalInt(raw, 'batchSize', 1, MAX_BATCH);
  const caPem = optionalPem(raw);
  if (caPem !== undefined && !url.startsWith('https:')) throw invalid('config.caPem only applies to https URLs');
  return { url, ...(batchSize !== undefined ? { batchSize } : {}), ...(caPem !== undefined ? { caPem } : {}) };
}

function checkUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_URL) throw invalid('config.url must be an http or https URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('config.url must be an http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('config.url must be an http or https URL');
  if (url.username !== '' || url.password !== '') throw invalid('config.url must not carry a user name or password; give the credential separately');
  if (url.hash !== '') throw invalid('config.url must not have a #fragment');
  return url.toString();
}

function requiredInt(raw: Raw, name: string, min: number, max: number): number {
  const v = optionalInt(raw, name, min, max);
  if (v === undefined) throw invalid(`config.${name} is required`);
  return v;
}

function optionalInt(raw: Raw, name: string, min: number, max: number): number | undefined {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) throw invalid(`config.${name} must be a whole number from ${min} to ${max}`);
  return v as number;
}

function optionalText(raw: Raw, name: string, max: number): string | undefined {
  const v = raw[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > max) throw invalid(`config.${name} must be 1 to ${max} characters`);
  return v;
}

function optionalPem(raw: Raw): string | undefined {
  const v = raw['caPem'];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length > MAX_PEM || !v.includes('-----BEGIN CERTIFICATE-----')) throw invalid('config.caPem must be a PEM certificate');
  return v;
}

function invalid(detail: string): VkError {
  return new VkError('invalid_request', detail);
}
