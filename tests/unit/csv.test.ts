import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsvError, formatCsv, parseCsv } from '../../src/shared/csv';

function problemsOf(text: string): { line: number; reason: string }[] {
  try {
    parseCsv(text);
  } catch (err) {
    if (err instanceof CsvError) return err.problems;
    throw err;
  }
  throw new Error('expected parseCsv to refuse the text');
}

describe('parseCsv', () => {
  it('reads header and rows with the line each record starts on', () => {
    const table = parseCsv('a,b,c\n1,2,3\n4,5,6\n');
    expect(table.header).toEqual(['a', 'b', 'c']);
    expect(table.rows).toEqual([
      { line: 2, cells: ['1', '2', '3'] },
      { line: 3, cells: ['4', '5', '6'] },
    ]);
  });

  it('drops a BOM and accepts CRLF, lone CR and a missing final newline', () => {
    const table = parseCsv('\uFEFFid,text\r\n1,one\r2,two\n3,three');
    expect(table.header).toEqual(['id', 'text']);
    expect(table.rows.map((r) => [r.line, ...r.cells])).toEqual([
      [2, '1', 'one'],
      [3, '2', 'two'],
      [4, '3', 'three'],
    ]);
  });

  it('unquotes fields with commas, doubled quotes and newlines, and counts lines inside them', () => {
    const text = 'id,text,n\n1,"a, b",x\n2,"she said ""hi""\nand left\r\nagain",y\n3,"",z\n';
    const table = parseCsv(text);
    expect(table.rows).toEqual([
      { line: 2, cells: ['1', 'a, b', 'x'] },
      { line: 3, cells: ['2', 'she said "hi"\nand left\r\nagain', 'y'] },
      { line: 6, cells: ['3', '', 'z'] },
    ]);
  });

  it('skips blank lines but keeps their line numbers counted', () => {
    const table = parseCsv('a,b\n\n1,2\n\n\n3,4\n\n');
    expect(table.rows).toEqual([
      { line: 3, cells: ['1', '2'] },
      { line: 6, cells: ['3', '4'] },
    ]);
  });

  it('keeps empty cells, including a trailing one', () => {
    expect(parseCsv('a,b,c\n,,\n1,,\n').rows.map((r) => r.cells)).toEqual([
      ['', '', ''],
      ['1', '', ''],
    ]);
  });

  it('names the line where an unterminated quote starts', () => {
    expect(problemsOf('a,b\n1,2\n3,"never closed\n4,5\n')).toEqual([{ line: 3, reason: expect.stringContaining('never closed') }]);
  });

  it('names every row whose cell count differs from the header', () => {
    const problems = problemsOf('a,b,c\n1,2,3\n1,2\n"x\ny",2,3\n1,2,3,4\n');
    expect(problems.map((p) => p.line)).toEqual([3, 6]);
    expect(problems[0].reason).toBe('expected 3 cells as in the header, found 2');
    expect(problems[1].reason).toBe('expected 3 cells as in the header, found 4');
  });

  it('refuses text glued after a closing quote, naming its line', () => {
    expect(problemsOf('a,b\n1,2\n"x"y,2\n')[0].line).toBe(3);
  });

  it('refuses an empty file', () => {
    expect(problemsOf('')[0].reason).toMatch(/empty/);
    expect(problemsOf('\uFEFF\n\n')[0].reason).toMatch(/empty/);
  });

  it('reads the real MVSA posts file (quoted tweets) with every row 5 cells wide', () => {
    const text = readFileSync(new URL('../../../shared/data/mvsa/posts.csv', import.meta.url), 'utf8');
    const table = parseCsv(text);
    expect(table.header).toEqual(['id', 'text', 'image', 'label', 'split']);
    // README: train 2,830 + dev 440 posts.
    expect(table.rows.length).toBe(3270);
    const withQuotes = table.rows.find((r) => r.cells[0] === '26');
    expect(withQuotes?.cells[1]).toContain('"here sweetie"');
  });
});

describe('formatCsv', () => {
  it('quotes only cells that need it and writes LF with a trailing newline', () => {
    const text = formatCsv(
      ['id', 'text'],
      [
        ['1', 'plain'],
        ['2', 'a, b'],
        ['3', 'say "hi"'],
        ['4', 'two\nlines'],
        ['5', ' padded '],
        ['6', ''],
        ['7', 'cr\rhere'],
      ],
    );
    expect(text).toBe('id,text\n1,plain\n2,"a, b"\n3,"say ""hi"""\n4,"two\nlines"\n5," padded "\n6,\n7,"cr\rhere"\n');
  });

  it('round-trips: parse(format(rows)) gives the rows back, and canonical text is kept byte for byte', () => {
    const header = ['a', 'b', 'c'];
    const rows = [
      ['x', 'y, z', ''],
      ['"q"', 'line\nbreak', ' lead'],
      ['', '', ''],
    ];
    const text = formatCsv(header, rows);
    const parsed = parseCsv(text);
    expect(parsed.header).toEqual(header);
    expect(parsed.rows.map((r) => r.cells)).toEqual(rows);
    expect(
      formatCsv(
        parsed.header,
        parsed.rows.map((r) => r.cells),
      ),
    ).toBe(text);
  });

  it('quotes a lone empty cell so a one-column row is not read as a blank line', () => {
    const text = formatCsv(['only'], [[''], ['x']]);
    expect(text).toBe('only\n""\nx\n');
    expect(parseCsv(text).rows.map((r) => r.cells)).toEqual([[''], ['x']]);
  });

  it('refuses a row narrower than the header', () => {
    expect(() => formatCsv(['a', 'b'], [['1']])).toThrow(/row 1 has 1 cells/);
  });
});

describe('tab-separated files', () => {
  it('reads a file whose first line has tabs and no comma as tab-separated, quotes and commas kept', () => {
    expect(parseCsv('a\tb\tc\r\n1\t"x, y"\t\n2\t"say ""hi"""\tz\n')).toEqual({
      header: ['a', 'b', 'c'],
      rows: [
        { line: 2, cells: ['1', 'x, y', ''] },
        { line: 3, cells: ['2', 'say "hi"', 'z'] },
      ],
    });
    // A comma on the first line keeps it CSV, tabs and all.
    expect(parseCsv('a,b\tc\n1,2\t3\n').rows[0].cells).toEqual(['1', '2\t3']);
  });
});
