// Transcript CSV: the utterances of ONE media item (given apart, as for SRT/VTT).
//
//   start_s,end_s,text[,speaker]
//   start_s, end_s  seconds (>= 0, end >= start); `start`/`end` are read the same
//   text            what was said (may be empty on a timed row: the span is still speech)
//   speaker         optional; read and checked for nothing, not stored (segments have no
//                   speaker field yet)
//
// Either every row has times (each row becomes a segment as it is) or none does (the
// file, or a file with no time columns at all, is a plain transcript: each row is one
// utterance, spread over the speech and marked unaligned). A file mixing the two is
// refused: where the untimed rows go is not known. Other columns are ignored. The whole
// file is checked first; every problem is reported with its line number.

import { FileProblems, columnIndex, readCsvTable } from './file-problems';

export interface TranscriptCsvRow {
  /** Line in the file (header = 1), for messages. */
  line: number;
  /** Both null on an untimed row. */
  start: number | null;
  end: number | null;
  text: string;
  speaker: string | null;
}

export interface TranscriptCsv {
  /** true when every row has times; false when none has. */
  timed: boolean;
  rows: TranscriptCsvRow[];
}

const ALIASES: Record<string, string> = { start: 'start_s', end: 'end_s' };

export function parseTranscriptCsv(text: string, file: string): TranscriptCsv {
  const table = readCsvTable(text, file);
  const problems = new FileProblems(file);
  const index = new Map<string, number>();
  for (const [name, i] of columnIndex(table.header, problems)) {
    const canonical = ALIASES[name.toLowerCase()] ?? name.toLowerCase();
    if (index.has(canonical)) problems.add(1, `columns "${canonical}" and "${name}" mean the same thing; keep one`);
    else index.set(canonical, i);
  }
  if (!index.has('text')) problems.add(1, 'missing column text (a transcript CSV has start_s,end_s,text)');
  if (index.has('start_s') !== index.has('end_s')) {
    problems.add(1, `column ${index.has('start_s') ? 'end_s' : 'start_s'} is missing: give both start_s and end_s, or neither`);
  }
  problems.throwIfAny();
  if (table.rows.length === 0) {
    problems.add(1, 'the file has a header but no rows');
    problems.throwIfAny();
  }

  const rows: TranscriptCsvRow[] = [];
  // Whether each row gives any time (a malformed one counts: it was meant as timed).
  const timedRow: boolean[] = [];
  for (const { line, cells } of table.rows) {
    const cell = (name: string) => {
      const i = index.get(name);
      return i === undefined ? '' : (cells[i] ?? '');
    };
    const start = problems.time(line, cell('start_s'), 'start_s');
    const end = problems.time(line, cell('end_s'), 'end_s');
    const rowText = cell('text').trim();
    const startGiven = cell('start_s').trim() !== '';
    const endGiven = cell('end_s').trim() !== '';
    if (startGiven !== endGiven) problems.add(line, `${startGiven ? 'end_s' : 'start_s'} is empty: give both times, or neither`);
    if (start !== null && end !== null && end < start) problems.add(line, `end_s ${cell('end_s')} is before start_s ${cell('start_s')}`);
    if (!startGiven && !endGiven && rowText === '') problems.add(line, 'a row without times needs text');
    const speaker = cell('speaker').trim();
    rows.push({ line, start, end, text: rowText, speaker: speaker === '' ? null : speaker });
    timedRow.push(startGiven || endGiven);
  }

  // Mixed files: name the rows of the smaller kind, which are most likely the mistakes.
  const untimed = rows.filter((_, i) => !timedRow[i]);
  const timed = rows.filter((_, i) => timedRow[i]);
  if (untimed.length > 0 && timed.length > 0) {
    const fewerUntimed = untimed.length <= timed.length;
    for (const r of fewerUntimed ? untimed : timed) {
      problems.add(
        r.line,
        fewerUntimed
          ? 'this row has no times while other rows have: give every row times, or none (then the text is spread over the speech)'
          : 'this row has times while most rows have none: give every row times, or none',
      );
    }
  }
  problems.throwIfAny();
  return { timed: untimed.length === 0, rows };
}
