/**
 * Syslog over TCP (RFC 6587 octet counting) or TLS (RFC 5425). Plain syslog has no
 * acknowledgements, so "delivered" is inferred: rows count as received once the connection has
 * stayed open for `confirmMs` after they were handed to the kernel. When the receiver goes away
 * (it closes, resets, or a write fails) the rows written in that last window are not confirmed,
 * and the worker sends them again on the next connection: a few duplicates, each with its seq,
 * rather than a silent gap.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { AuditRow, SyslogSinkConfig } from '../../shared/model.js';
import { networkError, SinkError, type SinkTransport } from './sink-transport.js';
import { octetFrame, syslogMessage, syslogTestMessage, type SyslogIdentity } from './syslog-message.js';

export interface StreamOptions {
  readonly confirmMs: number;
  readonly connectTimeoutMs: number;
  readonly now: () => number;
}

interface Written {
  readonly seq: number;
  readonly at: number;
}

export async function connectSyslogStream(config: SyslogSinkConfig, id: SyslogIdentity, options: StreamOptions): Promise<SinkTransport> {
  const socket = await openSocket(config, options.connectTimeoutMs);
  return new SyslogStream(socket, id, options);
}

function openSocket(config: SyslogSinkConfig, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const secure = config.transport === 'tls';
    const socket = secure
      ? tls.connect({
          host: config.host,
          port: config.port,
          ...(net.isIP(config.host) === 0 ? { servername: config.host } : {}),
          ...(config.caPem !== undefined ? { ca: [config.caPem] } : {}),
          rejectUnauthorized: true,
        })
      : net.connect({ host: config.host, port: config.port });
    const timer = setTimeout(() => fail(new SinkError('the receiver did not accept the connection in time')), timeoutMs);
    const fail = (e: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      reject(e instanceof SinkError ? e : networkError(e));
    };
    socket.once('error', fail);
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      resolve(socket);
    });
  });
}

class SyslogStream implements SinkTransport {
  private written: Written[] = [];
  private confirmedSeq = 0;
  private brokenAt: number | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly id: SyslogIdentity,
    private readonly options: StreamOptions,
  ) {
    socket.setKeepAlive(true, 10_000);
    socket.setNoDelay(true);
    // A syslog receiver sends nothing; read and drop whatever comes so the socket never stalls.
    socket.on('data', () => undefined);
    const broke = () => this.markBroken();
    socket.on('end', broke);
    socket.on('close', broke);
    socket.on('error', broke);
  }

  async deliver(rows: readonly AuditRow[]): Promise<void> {
    const last = rows.at(-1);
    if (last === undefined) return;
    await this.write(Buffer.concat(rows.map((r) => octetFrame(syslogMessage(r, this.id)))));
    this.written.push({ seq: last.seq, at: this.options.now() });
  }

  confirmed(): number {
    const horizon = (this.brokenAt ?? this.options.now()) - this.options.confirmMs;
    while (this.written.length > 0 && (this.written[0]?.at ?? Infinity) <= horizon) {
      this.confirmedSeq = this.written.shift()?.seq ?? this.confirmedSeq;
    }
    return this.confirmedSeq;
  }

  healthy(): boolean {
    return this.brokenAt === undefined;
  }

  async sendTest(): Promise<void> {
    await this.write(octetFrame(syslogTestMessage(this.id, this.options.now())));
    await new Promise<void>((resolve) => this.socket.end(resolve));
  }

  close(): void {
    this.markBroken();
    this.socket.destroy();
  }

  private write(bytes: Buffer): Promise<void> {
    if (!this.healthy()) return Promise.reject(new SinkError('the receiver closed the connection'));
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (e) => {
        if (e) {
          this.markBroken();
          reject(networkError(e));
        } else resolve();
      });
    });
  }

  private markBroken(): void {
    this.brokenAt ??= this.options.now();
  }
}
