export interface Tally {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly problems: readonly string[];
}

export type Part =
  | { readonly kind: 'step'; readonly name: string; readonly exit: number }
  | { readonly kind: 'vitest'; readonly name: string; readonly exit: number; readonly report: string };

export function tallyStep(name: string, exit: number): Tally;
export function tallyVitest(name: string, report: unknown, exit: number): Tally;
export function sumTallies(tallies: readonly Tally[]): Tally;
export function formatTotal(t: Tally): string;
export function parseArgs(argv: readonly string[]): Part[];
export function tallyPart(p: Part): Tally;
