/**
 * `valetkey`: one program for the person (admin commands over the admin API) and for agents,
 * with every command in the table (run-cli.ts does the work).
 */
import { COMMAND_MODULES } from './command-index.js';
import { runCli } from './run-cli.js';

export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, COMMAND_MODULES);
}
