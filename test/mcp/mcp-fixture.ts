/**
 * For the MCP tests: the official SDK client spawning the installed `valetkey mcp`, a transport that
 * records every message the client receives, and a tap on the engine's Unix socket that records
 * every byte between the MCP server and the engine, so a test learns the real access tokens and
 * proofs (to prove the client never saw them) without any hook in the server.
 */
import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { Transport, TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage, MessageExtraInfo } from '@modelcontextprotocol/sdk/types.js';
import { ROOT, VALETKEY } from '../helpers/cli.js';

/** Wraps a client transport and keeps everything that arrives, in arrival order. */
export class RecordingTransport implements Transport {
  readonly received: JSONRPCMessage[] = [];
  readonly errors: Error[] = [];
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(private readonly inner: Transport) {}

  async start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      this.received.push(message);
      this.onmessage?.(message, extra);
    };
    this.inner.onerror = (error) => {
      this.errors.push(error);
      this.onerror?.(error);
    };
    this.inner.onclose = () => this.onclose?.();
    await this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  /** Everything received, as one string to search. */
  text(): string {
    return this.received.map((m) => JSON.stringify(m)).join('\n');
  }
}

export interface StdioMcp {
  readonly client: Client;
  readonly transport: RecordingTransport;
  /** What the server process wrote on stderr. */
  stderr(): string;
  close(): Promise<void>;
}

/** The environment of the test process (D-Bus included), minus anything that would steer the agent elsewhere. */
export function mcpEnv(home: string, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('VALETKEY_')) env[k] = v;
  return { ...env, VALETKEY_HOME: home, NO_COLOR: '1', ...extra };
}

export async function startStdioMcp(home: string, extra: Record<string, string>, args: readonly string[] = []): Promise<StdioMcp> {
  const inner = new StdioClientTransport({ command: process.execPath, args: [VALETKEY, 'mcp', ...args], cwd: ROOT, env: mcpEnv(home, extra), stderr: 'pipe' });
  let stderr = '';
  inner.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const transport = new RecordingTransport(inner);
  const client = new Client({ name: 'valetkey-mcp-test', version: '1.0.0' });
  try {
    await client.connect(transport);
  } catch (e) {
    throw new Error(`the MCP server did not start: ${(e as Error).message}\n${stderr}`);
  }
  return { client, transport, stderr: () => stderr, close: () => client.close() };
}

export interface SocketTap {
  readonly path: string;
  /** Every byte both ways, as text. */
  traffic(): string;
  close(): Promise<void>;
}

/** A Unix socket that forwards to the engine's socket. Proofs name `http://localhost` on any socket, so nothing changes for DPoP. */
export async function startSocketTap(path: string, engineSocket: string): Promise<SocketTap> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((down) => {
    const up = connect(engineSocket);
    for (const s of [down, up]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    down.on('data', (d: Buffer) => {
      chunks.push(d);
      up.write(d);
    });
    up.on('data', (d: Buffer) => {
      chunks.push(d);
      down.write(d);
    });
    down.on('end', () => up.end());
    up.on('end', () => down.end());
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  return {
    path,
    traffic: () => Buffer.concat(chunks).toString('utf8'),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Access tokens and DPoP proofs seen on the wire: request headers and token answers. */
export function credentialsIn(traffic: string): { readonly tokens: string[]; readonly proofs: string[] } {
  const tokens = new Set<string>();
  for (const m of traffic.matchAll(/^authorization: (?:DPoP|Bearer) (\S+)\r$/gim)) tokens.add(m[1] ?? '');
  for (const m of traffic.matchAll(/"access_token":"([^"]+)"/g)) tokens.add(m[1] ?? '');
  for (const m of traffic.matchAll(/(?:^|&)token=([^&\s]+)/gm)) tokens.add(decodeURIComponent(m[1] ?? ''));
  const proofs = [...traffic.matchAll(/^dpop: (\S+)\r$/gim)].map((m) => m[1] ?? '');
  tokens.delete('');
  return { tokens: [...tokens], proofs };
}

/** The text of a tool result's first content item. */
export function resultText(result: unknown): string {
  const content = (result as { content?: { type: string; text?: string }[] }).content ?? [];
  return content[0]?.text ?? '';
}

export interface HttpMcpProcess {
  readonly url: string;
  readonly port: number;
  output(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** `valetkey mcp --http --json` in its own process; resolves once it printed where it listens. */
export function startHttpMcp(home: string, extra: Record<string, string>): Promise<HttpMcpProcess> {
  const child = spawn(process.execPath, [VALETKEY, 'mcp', '--http', '--json'], { cwd: ROOT, env: mcpEnv(home, extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const stop = async (): Promise<number | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (line === undefined || !stdout.includes('\n')) return;
      const info = JSON.parse(line) as { url: string; port: number };
      resolve({ url: info.url, port: info.port, output: () => output, stop });
    });
    void exited.then((code) => reject(new Error(`valetkey mcp --http exited (${code}) before it was ready:\n${output}`)));
  });
}
