// Collecting what is wrong with an imported file. An import refuses the WHOLE file
// when any row is bad, so a user sees every problem (up to a limit) in one go, each
// as "FILE line N: reason", instead of fixing them one import at a time.

import { fixedDecimals } from '../../shared/fixed-decimals';
import { CsvError, parseCsv, type CsvTable } from '../../shared/csv';
import { SentiscopeError, type ErrorCode } from '../../shared/errors';

export interface FileProblem {
  line: number;
  reason: string;
}

/** Most problems kept per file; the rest are only counted. */
export const MAX_FILE_PROBLEMS = 20;
/** Most problems spelled out in the error message. */
const SHOWN_IN_MESSAGE = 5;

/** A refused import file; `problems` holds the first MAX_FILE_PROBLEMS. */
export class FileProblemsError extends SentiscopeError {
  readonly problems: FileProblem[];
  readonly total: number;

  constructor(code: ErrorCode, file: string, problems: FileProblem[], total: number, whatToDo: string) {
    const shown = problems.slice(0, SHOWN_IN_MESSAGE).map((p) => `${file} line ${p.line}: ${p.reason}`);
    const more = total - shown.length;
    const message = `${shown.join('; ')}${more > 0 ? `; and ${more} more problem${more === 1 ? '' : 's'}` : ''}. ${whatToDo}`;
    super(code, message, file);
    this.problems = problems;
    this.total = total;
  }
}

export class FileProblems {
  private readonly list: FileProblem[] = [];
  private count = 0;

  constructor(
    readonly file: string,
    private readonly code: ErrorCode = 'bad-csv',
    private readonly whatToDo = 'Nothing was imported; fix these rows and import the file again.',
  ) {}

  add(line: number, reason: string): void {
    this.count++;
    if (this.list.length < MAX_FILE_PROBLEMS) this.list.push({ line, reason });
  }

  /** A time cell (see parseTimeCell); a bad one is recorded against `line` and read as null. */
  time(line: number, cell: string, column: string): number | null {
    const parsed = parseTimeCell(cell, column);
    if (typeof parsed !== 'string') return parsed;
    this.add(line, parsed);
    return null;
  }

  get any(): boolean {
    return this.count > 0;
  }

  throwIfAny(): void {
    if (this.count > 0) throw new FileProblemsError(this.code, this.file, this.list, this.count, this.whatToDo);
  }
}

/** parseCsv with its syntax problems turned into a file-named 'bad-csv' error. */
export function readCsvTable(text: string, file: string): CsvTable {
  try {
    return parseCsv(text);
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const problems = new FileProblems(file);
    for (const p of err.problems) problems.add(p.line, p.reason);
    problems.throwIfAny();
    throw err;
  }
}

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number cell; undefined when it is not one ('' included). */
export function parseNumberCell(cell: string): number | undefined {
  const trimmed = cell.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/** Column name -> index, refusing duplicated names (line 1). */
export function columnIndex(header: readonly string[], problems: FileProblems): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((raw, i) => {
    const name = raw.trim();
    if (index.has(name)) problems.add(1, `column "${name}" appears twice in the header`);
    else index.set(name, i);
  });
  return index;
}

/** Seconds with millisecond precision, the way segments and label files write times. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) throw new RangeError(`formatSeconds: expected a finite time, got ${seconds}`);
  return fixedDecimals(seconds, 3);
}

/** A time cell in seconds: empty -> null, else a number >= 0. A string reason when bad. */
export function parseTimeCell(cell: string, column: string): number | null | string {
  if (cell.trim() === '') return null;
  const value = parseNumberCell(cell);
  if (value === undefined) return `${column} "${cell}" is not a number of seconds`;
  if (value < 0) return `${column} ${cell} is negative`;
  return value;
}
