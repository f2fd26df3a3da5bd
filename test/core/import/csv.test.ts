import { describe, expect, it } from 'vitest';
import { columns, parseCsv } from '../../../src/core/import/csv.js';
import { isVkError } from '../../../src/shared/errors.js';

function detailOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isVkError(e)) return e.detail ?? '';
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseCsv', () => {
  it('reads quoted commas, doubled quotes and line breaks, with each row’s first line', () => {
    const table = parseCsv('\uFEFFname,note\r\na,"x, ""y""\r\nz"\r\n\r\nb,plain\n', 'f.csv');
    expect(table.header).toEqual(['name', 'note']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['a', 'x, "y"\r\nz'] },
      { line: 5, cells: ['b', 'plain'] },
    ]);
  });

  it('keeps empty cells and a last line without a newline', () => {
    const table = parseCsv('a,b,c\n,,\n1,,3', 'f.csv');
    expect(table.rows.map((r) => r.cells)).toEqual([['', '', ''], ['1', '', '3']]);
  });

  it('names the line where a quoted field never closes (a truncated file)', () => {
    expect(detailOf(() => parseCsv('a,b\n1,2\n3,"never\nclosed', 'cut.csv'))).toBe('cut.csv, line 3: a quoted field opens here and never closes (is the file truncated?)');
  });

  it('names the line of a row with the wrong number of fields', () => {
    expect(detailOf(() => parseCsv('a,b,c\n1,2,3\n4,5\n', 'short.csv'))).toMatch(/^short\.csv, line 3: the row has 2 fields but the header has 3/);
  });

  it('refuses a stray quote after a closed quoted field', () => {
    expect(detailOf(() => parseCsv('a,b\n"x"y,2\n', 'q.csv'))).toMatch(/^q\.csv, line 2: a quote inside a quoted field must be doubled/);
  });

  it('refuses an empty file', () => {
    expect(detailOf(() => parseCsv('', 'empty.csv'))).toBe('empty.csv: the file is empty');
  });

  it('looks columns up by name, case-insensitively, with fallbacks', () => {
    const table = parseCsv('Title,Website\nT,https://w\n', 'f.csv');
    const get = columns(table);
    expect(get(table.rows[0]!, 'url', 'website')).toBe('https://w');
    expect(get(table.rows[0]!, 'TITLE')).toBe('T');
    expect(get(table.rows[0]!, 'missing')).toBe('');
  });
});
