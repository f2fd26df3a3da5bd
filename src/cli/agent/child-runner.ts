/**
 * Runs the child of `valetkey run`: its environment given, its stdin ours, its stdout and stderr
 * through a masker each (or straight through with masking off), signals forwarded, and its exit
 * status returned as ours (128 + the signal number when a signal ended it, as shells report it).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { OutputMasker } from './output-masker.js';

export interface ChildSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  /** Values to mask in the child's output; undefined: no masking (--no-masking). */
  readonly mask: readonly string[] | undefined;
}

const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export function runChild(spec: ChildSpec): Promise<number> {
  const piped = spec.mask === undefined ? 'inherit' : 'pipe';
  const child = spawn(spec.command, [...spec.args], { env: spec.env, stdio: ['inherit', piped, piped] });
  const forward = (signal: NodeJS.Signals): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, forward);
  const outputs = spec.mask === undefined ? [] : [pipeMasked(child.stdout, process.stdout, spec.mask), pipeMasked(child.stderr, process.stderr, spec.mask)];
  return new Promise<number>((resolve) => {
    child.once('error', (e: NodeJS.ErrnoException) => {
      process.stderr.write(`valetkey: cannot run ${spec.command}: ${e.code === 'ENOENT' ? 'command not found' : (e.code ?? 'failed to start')}\n`);
      resolve(e.code === 'ENOENT' ? 127 : 126);
    });
    child.once('close', (code, signal) => {
      void Promise.all(outputs).then(() => resolve(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))));
    });
  }).finally(() => {
    for (const s of FORWARDED) process.off(s, forward);
  });
}

/** Resolves once the stream ended and the masker's held-back tail is written. */
function pipeMasked(from: Readable | null, to: Writable, values: readonly string[]): Promise<void> {
  if (from === null) return Promise.resolve();
  const masker = new OutputMasker(values);
  return new Promise((resolve) => {
    from.on('data', (chunk: Buffer) => write(to, masker.push(chunk)));
    from.once('close', () => {
      write(to, masker.end());
      resolve();
    });
  });
}

function write(to: Writable, bytes: Buffer): void {
  if (bytes.length > 0) to.write(bytes);
}
