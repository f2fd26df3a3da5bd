/**
 * Argon2id (libsodium crypto_pwhash) on a short-lived worker thread. libsodium's WebAssembly
 * memory grows to the Argon2id memory limit (256 MiB for MODERATE) and never shrinks, so run in
 * the engine it kept ~260 MB resident for the life of the process after one unlock. A worker's
 * memory goes back to the OS when it ends. The caller waits (Atomics.wait), as it did when the
 * hash ran in place, so the functions stay synchronous.
 * The worker's code is inline (eval) so it loads the same way from source, the CLI bundle and
 * Electron's utility process; libsodium is handed to it by absolute path.
 */
import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export type Argon2idJob =
  | { readonly op: 'derive'; readonly password: Uint8Array; readonly salt: Uint8Array; readonly bytes: number; readonly opslimit: number; readonly memlimit: number }
  | { readonly op: 'hash'; readonly password: string; readonly opslimit: number; readonly memlimit: number }
  | { readonly op: 'verify'; readonly hash: string; readonly password: string };

/** libsodium's crypto_pwhash limits (Argon2id), as numbers: the engine needs them without loading libsodium. */
export const ARGON2ID_LIMITS = {
  OPSLIMIT_INTERACTIVE: 2,
  MEMLIMIT_INTERACTIVE: 67_108_864,
  OPSLIMIT_MODERATE: 3,
  MEMLIMIT_MODERATE: 268_435_456,
  OPSLIMIT_SENSITIVE: 4,
  MEMLIMIT_SENSITIVE: 1_073_741_824,
} as const;

/** A SENSITIVE hash on a slow, shared machine takes tens of seconds; past this something is wrong. */
const TIMEOUT_MS = 300_000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const sodium = require(workerData.sodium);
const { job, port, state } = workerData;
const done = (message) => { port.postMessage(message); Atomics.store(state, 0, 1); Atomics.notify(state, 0); };
sodium.ready.then(() => {
  try {
    if (job.op === 'derive') done({ value: sodium.crypto_pwhash(job.bytes, job.password, job.salt, job.opslimit, job.memlimit, sodium.crypto_pwhash_ALG_ARGON2ID13) });
    else if (job.op === 'hash') done({ value: sodium.crypto_pwhash_str(job.password, job.opslimit, job.memlimit) });
    else done({ value: sodium.crypto_pwhash_str_verify(job.hash, job.password) });
  } catch {
    done({ failed: true });
  } finally {
    if (job.password instanceof Uint8Array) job.password.fill(0);
  }
}, () => done({ failed: true }));
`;

function run(job: Argon2idJob): unknown {
  const { port1, port2 } = new MessageChannel();
  const state = new Int32Array(new SharedArrayBuffer(4));
  const sodium = createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { sodium, job, port: port2, state }, transferList: [port2] });
  try {
    if (Atomics.wait(state, 0, 0, TIMEOUT_MS) === 'timed-out') throw new Error('Argon2id did not finish');
    const reply = receiveMessageOnPort(port1)?.message as { value?: unknown; failed?: boolean } | undefined;
    if (reply === undefined || reply.failed) throw new Error('Argon2id failed');
    return reply.value;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

/** A key of `bytes` bytes from the password and salt; the caller wipes it. */
export function argon2idDerive(job: Omit<Extract<Argon2idJob, { op: 'derive' }>, 'op'>): Uint8Array {
  const value = run({ op: 'derive', ...job });
  if (!(value instanceof Uint8Array) || value.length !== job.bytes) throw new Error('Argon2id returned no key');
  return value;
}

/** libsodium's encoded verifier (`$argon2id$v=19$m=…`). */
export function argon2idHashString(password: string, opslimit: number, memlimit: number): string {
  const value = run({ op: 'hash', password, opslimit, memlimit });
  if (typeof value !== 'string') throw new Error('Argon2id returned no hash');
  return value;
}

/** True when `password` matches the encoded verifier; throws on a malformed one. */
export function argon2idVerifyString(hash: string, password: string): boolean {
  return run({ op: 'verify', hash, password }) === true;
}
