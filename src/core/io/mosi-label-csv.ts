// MMSA `label.csv` (CMU-MOSI style), read and written as text.
//
// Columns: exactly `video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode`
// first, in that order, as MMSA reads them. Further columns may follow; these are
// understood: start_s, end_s (seconds), annotators (names joined by ';'), questionable (true/false/1/0/yes/no),
// notes. Any other column is kept verbatim in `extras` and written back after them.
//
// Reading rules (any broken rule refuses the whole file, naming each bad line):
// - video_id and clip_id are required, and (video_id, clip_id) is unique;
// - label, label_T/A/V: empty = not labelled (null), else a number in [-3, 3];
// - annotation: empty or Positive/Negative/Neutral (any case; stored capitalised);
// - mode: empty (null) or train/valid/test; "dev" and "val" read as 'valid';
// - start_s <= end_s when both are given; times are >= 0.
// Writing: numbers with formatScore (4 decimals), times with 3 decimals, `annotation`
// derived from the label when the row has none, start_s,end_s only when some row has
// a time, annotators/questionable/notes only when some row has one.

import type { Split } from '../../shared/domain';
import { formatCsv } from '../../shared/csv';
import { formatScore, isValidScore, parseAnnotation, scoreToAnnotation, type MosiAnnotation } from '../../shared/schemes/mosi';
import { FileProblems, columnIndex, formatSeconds, parseNumberCell, readCsvTable } from './file-problems';
import { parseSplit } from './splits';

export const MOSI_LABEL_COLUMNS = ['video_id', 'clip_id', 'text', 'label', 'label_T', 'label_A', 'label_V', 'annotation', 'mode'] as const;

/** Extra columns this reader understands, in the order the writer puts them. */
export const MOSI_KNOWN_EXTRA_COLUMNS = ['start_s', 'end_s', 'annotators', 'questionable', 'notes'] as const;

export interface MosiRow {
  videoId: string;
  clipId: string;
  text: string;
  /** Overall score in [-3, 3]; null = not labelled yet. */
  label: number | null;
  labelT: number | null;
  labelA: number | null;
  labelV: number | null;
  /** As the file gave it; null when empty (the writer then derives it from the label). */
  annotation: MosiAnnotation | null;
  mode: Split | null;
  start: number | null;
  end: number | null;
  /** Who labelled the row; several names joined by ';' (the `annotators` column). */
  annotator: string | null;
  questionable: boolean | null;
  notes: string | null;
  /** Unknown extra columns, by name, verbatim. */
  extras: Record<string, string>;
}

function parseBool(cell: string): boolean | null | undefined {
  const v = cell.trim().toLowerCase();
  if (v === '') return null;
  if (v === 'true' || v === '1' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'no') return false;
  return undefined;
}

/** Reads label.csv text; throws a 'bad-csv' FileProblemsError naming `file` and each bad line. */
export function parseMosiLabelCsv(text: string, file: string): MosiRow[] {
  const table = readCsvTable(text, file);
  const problems = new FileProblems(file);
  const header = table.header.map((h) => h.trim());

  const leading = header.slice(0, MOSI_LABEL_COLUMNS.length);
  if (leading.join(',') !== MOSI_LABEL_COLUMNS.join(',')) {
    problems.add(1, `the header must start with exactly ${MOSI_LABEL_COLUMNS.join(',')} (MMSA label.csv), found ${leading.join(',')}`);
    problems.throwIfAny();
  }
  const index = columnIndex(header, problems);
  problems.throwIfAny();

  const extraNames = header.slice(MOSI_LABEL_COLUMNS.length).filter((h) => !(MOSI_KNOWN_EXTRA_COLUMNS as readonly string[]).includes(h));
  const seen = new Map<string, number>();
  const rows: MosiRow[] = [];

  for (const { line, cells } of table.rows) {
    const cell = (name: string) => {
      const i = index.get(name);
      return i === undefined ? '' : cells[i];
    };
    const score = (name: string): number | null => {
      const raw = cell(name);
      if (raw.trim() === '') return null;
      const value = parseNumberCell(raw);
      if (value === undefined) {
        problems.add(line, `${name} "${raw}" is not a number`);
        return null;
      }
      if (!isValidScore(value)) {
        problems.add(line, `${name} ${raw} is outside the MOSI range [-3, 3]`);
        return null;
      }
      return value;
    };

    const videoId = cell('video_id').trim();
    const clipId = cell('clip_id').trim();
    if (videoId === '') problems.add(line, 'video_id is empty');
    if (clipId === '') problems.add(line, 'clip_id is empty');
    if (videoId !== '' && clipId !== '') {
      const key = `${videoId}\u0000${clipId}`;
      const first = seen.get(key);
      if (first !== undefined) problems.add(line, `video_id ${videoId} clip_id ${clipId} already appears on line ${first}`);
      else seen.set(key, line);
    }

    const label = score('label');
    const labelT = score('label_T');
    const labelA = score('label_A');
    const labelV = score('label_V');

    const annotationCell = cell('annotation');
    let annotation: MosiAnnotation | null = null;
    if (annotationCell.trim() !== '') {
      const parsed = parseAnnotation(annotationCell);
      if (parsed === undefined) problems.add(line, `annotation "${annotationCell}" is not Positive, Negative or Neutral`);
      else annotation = parsed;
    }

    const mode = parseSplit(cell('mode'));
    if (mode === undefined) problems.add(line, `mode "${cell('mode')}" is not train, valid or test`);

    const start = problems.time(line, cell('start_s'), 'start_s');
    const end = problems.time(line, cell('end_s'), 'end_s');
    if (start !== null && end !== null && start > end) problems.add(line, `start_s ${start} is after end_s ${end}`);

    const questionable = parseBool(cell('questionable'));
    if (questionable === undefined) problems.add(line, `questionable "${cell('questionable')}" is not true or false`);

    const optionalText = (name: string) => (index.has(name) && cell(name) !== '' ? cell(name) : null);
    const extras: Record<string, string> = {};
    for (const name of extraNames) extras[name] = cell(name);

    rows.push({
      videoId,
      clipId,
      text: cell('text'),
      label,
      labelT,
      labelA,
      labelV,
      annotation,
      mode: mode ?? null,
      start,
      end,
      annotator: optionalText('annotators'),
      questionable: questionable ?? null,
      notes: optionalText('notes'),
      extras,
    });
  }
  problems.throwIfAny();
  return rows;
}

const scoreCell = (v: number | null) => (v === null ? '' : formatScore(v));
const timeCell = (v: number | null) => (v === null ? '' : formatSeconds(v));

/** Writes label.csv text (LF line endings, trailing newline). */
export function formatMosiLabelCsv(rows: readonly MosiRow[]): string {
  const hasTimes = rows.some((r) => r.start !== null || r.end !== null);
  const hasAnnotator = rows.some((r) => r.annotator !== null);
  const hasQuestionable = rows.some((r) => r.questionable !== null);
  const hasNotes = rows.some((r) => r.notes !== null);
  const extraNames: string[] = [];
  for (const r of rows) {
    for (const name of Object.keys(r.extras)) {
      if ((MOSI_LABEL_COLUMNS as readonly string[]).includes(name) || (MOSI_KNOWN_EXTRA_COLUMNS as readonly string[]).includes(name)) {
        throw new RangeError(`formatMosiLabelCsv: extra column "${name}" clashes with a known column`);
      }
      if (!extraNames.includes(name)) extraNames.push(name);
    }
  }

  const header: string[] = [
    ...MOSI_LABEL_COLUMNS,
    ...(hasTimes ? ['start_s', 'end_s'] : []),
    ...(hasAnnotator ? ['annotators'] : []),
    ...(hasQuestionable ? ['questionable'] : []),
    ...(hasNotes ? ['notes'] : []),
    ...extraNames,
  ];
  const body = rows.map((r) => [
    r.videoId,
    r.clipId,
    r.text,
    scoreCell(r.label),
    scoreCell(r.labelT),
    scoreCell(r.labelA),
    scoreCell(r.labelV),
    r.annotation ?? (r.label === null ? '' : scoreToAnnotation(r.label)),
    r.mode ?? '',
    ...(hasTimes ? [timeCell(r.start), timeCell(r.end)] : []),
    ...(hasAnnotator ? [r.annotator ?? ''] : []),
    ...(hasQuestionable ? [r.questionable === null ? '' : String(r.questionable)] : []),
    ...(hasNotes ? [r.notes ?? ''] : []),
    ...extraNames.map((name) => r.extras[name] ?? ''),
  ]);
  return formatCsv(header, body);
}
