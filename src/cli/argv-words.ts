/** What a command line asks for, read before any command module is loaded (bin.ts, run-cli.ts). */

/** `valetkey --version` (or -V) alone. */
export function asksVersion(argv: readonly string[]): boolean {
  return argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
}

/** `valetkey`, `valetkey --help`, `-h` or `help` alone: the overview of every command. */
export function asksOverview(argv: readonly string[]): boolean {
  return argv.length === 0 || (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help'));
}

/** The word that picks the command module: the first argument that is not an option. */
export function firstWord(argv: readonly string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'));
}
