/**
 * Run a child with the terminal handed over (stdio inherited), pass Ctrl-C and SIGTERM on to it,
 * and settle with its exit code, so `npm start` behaves like the program it starts.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const FORWARDED = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP']);

/**
 * @param {string} command
 * @param {readonly string[]} args
 * @param {import('node:child_process').SpawnOptions} [options]
 * @returns {Promise<number>} the child's exit code (128 + signal number when a signal ended it)
 */
export function runForwarding(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: 'inherit', ...options });
    const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    const detach = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.once('error', (error) => {
      detach();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      detach();
      resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
    });
  });
}
