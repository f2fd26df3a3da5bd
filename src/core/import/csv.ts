/**
 * RFC 4180 CSV, as browsers and 1Password write it: quoted fields may hold commas, doubled quotes
 * and line breaks. Every row remembers the line it starts on, so a problem names its line.
 */
import { fileError } from './import-item.js';

export interface CsvRow {
  /** 1-based line number where the row starts. */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvTable {
  /** Header names as written (trimmed). */
  readonly header: readonly string[];
  readonly rows: readonly CsvRow[];
}

class CsvReader {
  #at = 0;
  #line = 1;

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {}

  get done(): boolean {
    return this.#at >= this.text.length;
  }

  /** Reads one record; returns its starting line and cells. */
  row(): CsvRow {
    const line = this.#line;
    const cells: string[] = [];
    for (;;) {
      cells.push(this.#cell(line));
      const c = this.text[this.#at];
      if (c === ',') {
        this.#at++;
        continue;
      }
      this.#endOfLine();
      return { line, cells };
    }
  }

  #endOfLine(): void {
    if (this.text[this.#at] === '\r') this.#at++;
    if (this.text[this.#at] === '\n') this.#at++;
    this.#line++;
  }

  #cell(rowLine: number): string {
    if (this.text[this.#at] === '"') return this.#quoted(rowLine);
    let end = this.#at;
    while (end < this.text.length && !',\r\n'.includes(this.text[end]!)) end++;
    const cell = this.text.slice(this.#at, end);
    this.#at = end;
    return cell;
  }

  #quoted(rowLine: number): string {
    const opened = this.#line;
    let out = '';
    this.#at++;
    for (;;) {
      const close = this.text.indexOf('"', this.#at);
      if (close < 0) throw fileError(this.file, `line ${opened}`, 'a quoted field opens here and never closes (is the file truncated?)');
      const chunk = this.text.slice(this.#at, close);
      this.#line += countNewlines(chunk);
      out += chunk;
      this.#at = close + 1;
      if (this.text[this.#at] === '"') {
        out += '"';
        this.#at++;
        continue;
      }
      const next = this.text[this.#at];
      if (next !== undefined && !',\r\n'.includes(next)) {
        throw fileError(this.file, `line ${this.#line}`, `a quote inside a quoted field must be doubled (row starting at line ${rowLine})`);
      }
      return out;
    }
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function isBlank(row: CsvRow): boolean {
  return row.cells.length === 1 && row.cells[0]!.trim() === '';
}

/** Parses the whole file; blank lines are ignored, every other row must have the header's width. */
export function parseCsv(text: string, file: string): CsvTable {
  const reader = new CsvReader(text.replace(/^\uFEFF/, ''), file);
  if (reader.done) throw fileError(file, undefined, 'the file is empty');
  const header = reader.row();
  const rows: CsvRow[] = [];
  while (!reader.done) {
    const row = reader.row();
    if (isBlank(row)) continue;
    if (row.cells.length !== header.cells.length) {
      throw fileError(file, `line ${row.line}`, `the row has ${row.cells.length} fields but the header has ${header.cells.length} (is the file truncated or hand-edited?)`);
    }
    rows.push(row);
  }
  return { header: header.cells.map((h) => h.trim()), rows };
}

/** Column lookup by header name, case-insensitive; `get` returns '' for a missing column. */
export function columns(table: CsvTable): (row: CsvRow, ...names: string[]) => string {
  const index = new Map(table.header.map((h, i) => [h.toLowerCase(), i] as const));
  return (row, ...names) => {
    for (const name of names) {
      const i = index.get(name.toLowerCase());
      if (i !== undefined) return row.cells[i] ?? '';
    }
    return '';
  };
}
