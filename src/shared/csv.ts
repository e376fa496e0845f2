// RFC 4180 CSV codec. Pure text in, text out: the io layer turns CsvError into a
// file-named SentiscopeError.
//
// Reading is a little more forgiving than the RFC, in the ways spreadsheet and
// pandas files need: a UTF-8 BOM is dropped, LF, CRLF and lone CR all end a record,
// blank lines (outside quotes) are skipped, and a quote inside an unquoted field is
// kept as a literal character. A file whose first line has tabs and no comma is read as
// tab-separated: that is what Excel's "Unicode text" saves. Newlines inside quoted fields are kept as written.
// Writing is canonical: LF line endings, a trailing newline, quotes only where needed.

export interface CsvRow {
  /** 1-based physical line on which the record starts (a quoted field may span lines). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  rows: CsvRow[];
}

export interface CsvProblem {
  line: number;
  reason: string;
}

/** Most cell-count problems one parse reports. */
export const MAX_CSV_PROBLEMS = 20;

export class CsvError extends Error {
  readonly problems: CsvProblem[];
  constructor(problems: CsvProblem[]) {
    super(problems.map((p) => `line ${p.line}: ${p.reason}`).join('; '));
    this.name = 'CsvError';
    this.problems = problems;
  }
}

interface RawRecord {
  line: number;
  cells: string[];
}

/** Splits text into records. Throws CsvError on a quote that never closes or junk after one. */
function readRecords(text: string, separator: ',' | '\t'): RawRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: RawRecord[] = [];
  let line = 1;
  let i = 0;
  const n = src.length;

  while (i < n) {
    const start = line;
    const cells: string[] = [];
    let quoted = false;
    // One record: fields until an unquoted line break or the end of the text.
    for (;;) {
      let cell = '';
      if (src[i] === '"') {
        quoted = true;
        const quoteLine = line;
        i++;
        for (;;) {
          if (i >= n) throw new CsvError([{ line: quoteLine, reason: 'a quoted field is never closed (missing ")' }]);
          const ch = src[i];
          if (ch === '"') {
            if (src[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
          cell += ch;
          i++;
        }
        const next = src[i];
        if (i < n && next !== separator && next !== '\n' && next !== '\r') {
          throw new CsvError([
            {
              line,
              reason: `unexpected text after a closing quote (${JSON.stringify(src.slice(i, i + 10))}); double any quote inside a quoted field`,
            },
          ]);
        }
      } else {
        const from = i;
        while (i < n && src[i] !== separator && src[i] !== '\n' && src[i] !== '\r') i++;
        cell = src.slice(from, i);
      }
      cells.push(cell);
      if (i < n && src[i] === separator) {
        i++;
        continue;
      }
      break;
    }
    // End of record: consume one line break.
    if (src[i] === '\r') i++;
    if (src[i] === '\n') i++;
    line++;
    // An empty line is no record at all (pandas and Excel skip it); `""` alone is one.
    const blank = cells.length === 1 && cells[0] === '' && !quoted;
    if (!blank) records.push({ line: start, cells });
  }
  return records;
}

/** Tab when the first line has a tab and no comma (Excel's "Unicode text"), else comma. */
function separatorOf(text: string): ',' | '\t' {
  const first = text.slice(0, text.search(/[\r\n]|$/));
  return first.includes('\t') && !first.includes(',') ? '\t' : ',';
}

/**
 * Parses CSV text. The first record is the header; every other record must have
 * as many cells as the header. Cell-count problems are collected (up to
 * MAX_CSV_PROBLEMS) and thrown together as one CsvError.
 */
export function parseCsv(text: string): CsvTable {
  const records = readRecords(text, separatorOf(text));
  if (records.length === 0) throw new CsvError([{ line: 1, reason: 'the file is empty (no header row)' }]);
  const [head, ...rest] = records;
  const width = head.cells.length;
  const problems: CsvProblem[] = [];
  for (const r of rest) {
    if (r.cells.length !== width && problems.length < MAX_CSV_PROBLEMS) {
      problems.push({ line: r.line, reason: `expected ${width} cells as in the header, found ${r.cells.length}` });
    }
  }
  if (problems.length > 0) throw new CsvError(problems);
  return { header: head.cells, rows: rest.map((r) => ({ line: r.line, cells: r.cells })) };
}

const NEEDS_QUOTES = /[",\r\n]|^[ \t]|[ \t]$/;

export function formatCsvCell(cell: string): string {
  return NEEDS_QUOTES.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

/** Writes header and rows as canonical CSV. Every row must be as wide as the header. */
export function formatCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const lines: string[] = [formatRecord(header)];
  rows.forEach((row, i) => {
    if (row.length !== header.length) {
      throw new RangeError(`formatCsv: row ${i + 1} has ${row.length} cells, the header has ${header.length}`);
    }
    lines.push(formatRecord(row));
  });
  return lines.join('\n') + '\n';
}

function formatRecord(cells: readonly string[]): string {
  // One empty cell alone would be a blank line, which readers skip: quote it.
  if (cells.length === 1 && cells[0] === '') return '""';
  return cells.map(formatCsvCell).join(',');
}
