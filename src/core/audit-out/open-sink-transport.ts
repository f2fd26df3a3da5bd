/** Builds the transport a sink's kind needs. HEC and webhook transports take ownership of the credential bytes. */
import type { SinkRecord } from './sink-store.js';
import { DEFAULT_FACILITY } from './sink-config.js';
import { openHecTransport } from './hec-transport.js';
import { SinkError, type SinkTransport } from './sink-transport.js';
import { localIdentity } from './syslog-message.js';
import { connectSyslogStream } from './syslog-stream.js';
import { openSyslogUdp } from './syslog-udp.js';
import { openWebhookTransport } from './webhook-transport.js';

export interface TransportOptions {
  /** TCP/TLS syslog: how long a connection must stay up after a write before those rows count as received. */
  readonly confirmMs: number;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly now: () => number;
}

export const DEFAULT_TRANSPORT_OPTIONS: TransportOptions = { confirmMs: 2000, connectTimeoutMs: 10_000, requestTimeoutMs: 15_000, now: Date.now };

export async function openSinkTransport(sink: SinkRecord, credential: Uint8Array | undefined, options: TransportOptions): Promise<SinkTransport> {
  const config = sink.config;
  switch (config.kind) {
    case 'syslog': {
      const id = localIdentity(config.facility ?? DEFAULT_FACILITY);
      return config.transport === 'udp' ? openSyslogUdp(config, id, options.now) : connectSyslogStream(config, id, options);
    }
    case 'splunk_hec':
      return openHecTransport(config, requireCredential(credential), options.requestTimeoutMs);
    case 'webhook':
      return openWebhookTransport(config, requireCredential(credential), options.requestTimeoutMs, options.now);
  }
}

function requireCredential(credential: Uint8Array | undefined): Uint8Array {
  if (credential === undefined) throw new SinkError('the sink has no credential');
  return credential;
}
