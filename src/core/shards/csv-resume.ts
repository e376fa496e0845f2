// Resuming a shard's CSV output: the rows an interrupted run already wrote are kept, the
// rest are done again. A run killed mid-write leaves a last record cut short; that record
// (and anything after the first row that is not the expected next one) is dropped, and
// the kept rows are rewritten canonically so the finished file is byte for byte what an
// uninterrupted run writes.

import { readFile, writeFile } from 'node:fs/promises';
import { CsvError, formatCsv, parseCsv, type CsvRow } from '../../shared/csv';

/** The complete records of a CSV text whose end may be cut short. */
function completeRecords(text: string): { header: string[]; rows: CsvRow[] } | null {
  let end = text.lastIndexOf('\n');
  // Each cut drops one physical line; a record cut inside a quoted field does not parse.
  while (end >= 0) {
    try {
      return parseCsv(text.slice(0, end + 1));
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      end = text.lastIndexOf('\n', end - 1);
    }
  }
  return null;
}

/**
 * Keeps the leading rows of `file` that are the expected rows (the header equal, each
 * row's first cells equal to `expectedIds[i]`, the cell count right), rewrites the file
 * as header + those rows, and returns how many were kept. No file or no usable header:
 * the file is started afresh with the header and 0 is returned.
 */
export async function resumeCsvRows(file: string, header: readonly string[], expectedIds: readonly (readonly string[])[]): Promise<number> {
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    text = null;
  }
  const table = text === null ? null : completeRecords(text);
  const kept: string[][] = [];
  if (table && table.header.length === header.length && table.header.every((h, i) => h === header[i])) {
    for (const row of table.rows) {
      const ids = expectedIds[kept.length];
      if (!ids || row.cells.length !== header.length || ids.some((id, i) => row.cells[i] !== id)) break;
      kept.push(row.cells);
    }
  }
  await writeFile(file, formatCsv(header, kept), 'utf8');
  return kept.length;
}
