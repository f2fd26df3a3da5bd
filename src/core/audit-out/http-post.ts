/**
 * One JSON POST for the HTTP sinks (Splunk HEC, webhook). Answers with the status code only: a
 * receiver's body is read and dropped, never stored or shown (it could echo anything back).
 */
import http from 'node:http';
import https from 'node:https';
import { networkError, SinkError } from './sink-transport.js';

export interface PostOptions {
  readonly caPem?: string;
  readonly timeoutMs: number;
}

const MAX_ANSWER_BYTES = 64 * 1024;

export function postJson(url: URL, body: string, headers: Readonly<Record<string, string>>, options: PostOptions): Promise<number> {
  const secure = url.protocol === 'https:';
  const request = secure ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
        timeout: options.timeoutMs,
        ...(secure && options.caPem !== undefined ? { ca: [options.caPem] } : {}),
        agent: false,
      },
      (res) => {
        let seen = 0;
        res.on('data', (chunk: Buffer) => {
          seen += chunk.length;
          if (seen > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new SinkError('the receiver did not answer in time')));
    req.on('error', (e) => reject(e instanceof SinkError ? e : networkError(e)));
    req.end(body);
  });
}

export function requireSuccess(status: number, receiver: string): void {
  if (status < 200 || status > 299) throw new SinkError(`the ${receiver} answered HTTP ${status}`);
}
