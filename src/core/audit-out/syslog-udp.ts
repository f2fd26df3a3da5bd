/**
 * Syslog over UDP (RFC 5426): one message per datagram, no framing, no acknowledgement. A row
 * counts as delivered once the datagram left; UDP can lose rows on the way, so use TCP or TLS
 * when nothing may be lost (README, "Audit out").
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { AuditRow, SyslogSinkConfig } from '../../shared/model.js';
import { networkError, type SinkTransport } from './sink-transport.js';
import { syslogMessage, syslogTestMessage, type SyslogIdentity } from './syslog-message.js';

export function openSyslogUdp(config: SyslogSinkConfig, id: SyslogIdentity, now: () => number): SinkTransport {
  const socket = dgram.createSocket(net.isIPv6(config.host) ? 'udp6' : 'udp4');
  socket.unref();
  let sentSeq = 0;
  let broken = false;
  socket.on('error', () => {
    broken = true;
  });
  const send = (message: string) =>
    new Promise<void>((resolve, reject) => {
      socket.send(Buffer.from(message, 'utf8'), config.port, config.host, (e) => (e ? reject(networkError(e)) : resolve()));
    });
  return {
    async deliver(rows: readonly AuditRow[]) {
      for (const row of rows) {
        await send(syslogMessage(row, id));
        sentSeq = row.seq;
      }
    },
    confirmed: () => sentSeq,
    healthy: () => !broken,
    sendTest: () => send(syslogTestMessage(id, now())),
    close: () => {
      broken = true;
      try {
        socket.close();
      } catch {
        // already closed
      }
    },
  };
}
