/** A CLI command: its words, help text, options (node:util parseArgs) and what it does. */
import type { ParseArgsConfig } from 'node:util';
import type { CliContext } from './context.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | string[] | boolean[] | undefined>>;
  readonly positionals: readonly string[];
}

export interface Command {
  /** e.g. ['vault', 'create'] */
  readonly words: readonly string[];
  readonly summary: string;
  /** Arguments after the words, e.g. 'NAME [--approval MODE]'. */
  readonly usage: string;
  readonly details?: string;
  readonly options?: OptionSpec;
  run(ctx: CliContext, args: ParsedArgs): Promise<number | void>;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function value(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function values(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** A module of commands and the first words of its commands (the CLI loads a module only when a command line names one). */
export interface CommandModule {
  readonly words: readonly string[];
  load(): Promise<readonly Command[]>;
}
