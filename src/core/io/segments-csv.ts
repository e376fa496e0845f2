// Generic segments CSV: time spans of media files, with their text and a MOSI score.
//
// Written (canonical) layout:
//   media,clip_id,start_s,end_s,text,source,split,label,annotator
//   media      the media item's name (MMSA video_id; a file's base name by default)
//   clip_id    the segment's id within its media; may be empty (the store numbers it)
//   start_s    seconds, >= 0, 3 decimals          end_s   seconds, >= start_s
//   text       transcript of the span (may be empty)
//   source     vad | asr | import | manual, or empty
//   split      train | valid | test, or empty
//   label      MOSI score in [-3, 3] (4 decimals), or empty = not labelled
//   annotator  who gave the label, or empty
//
// Read: columns by name, in any order. Required: `media` (or `video_id`), `start_s`,
// `end_s`; the rest are optional, and `mode` is read as `split`. So the shared
// CMU-MOSI file (video_id,clip_id,start_s,end_s,text,label,split) reads as it is.
// split accepts dev/val for 'valid', and 'untranscribed' (that file's mark for the 4
// segments without a transcript, which belong to no MMSA split) as no split.
// (media, clip_id) must be unique where clip_id is given. Other columns are kept
// verbatim in `extras` and written after the canonical ones.

import type { SegmentSource, Split } from '../../shared/domain';
import { formatCsv } from '../../shared/csv';
import { formatScore, isValidScore } from '../../shared/schemes/mosi';
import { FileProblems, columnIndex, formatSeconds, parseNumberCell, readCsvTable } from './file-problems';
import { parseSplit } from './splits';

export interface SegmentRow {
  media: string;
  clipId: string | null;
  start: number;
  end: number;
  text: string;
  source: SegmentSource | null;
  split: Split | null;
  /** MOSI score in [-3, 3]; null = not labelled. */
  label: number | null;
  annotator: string | null;
  extras: Record<string, string>;
}

export const SEGMENT_COLUMNS = ['media', 'clip_id', 'start_s', 'end_s', 'text', 'source', 'split', 'label', 'annotator'] as const;
const SOURCES: readonly SegmentSource[] = ['vad', 'asr', 'import', 'manual'];
/** Column names read as another: alias -> canonical. */
const ALIASES: Record<string, string> = { video_id: 'media', mode: 'split' };

export function parseSegmentsCsv(text: string, file: string): SegmentRow[] {
  const table = readCsvTable(text, file);
  const problems = new FileProblems(file);
  const header = table.header.map((h) => h.trim());
  const raw = columnIndex(header, problems);
  // Resolve aliases; a file with both a name and its alias is ambiguous.
  const index = new Map<string, number>();
  for (const [name, i] of raw) {
    const canonical = ALIASES[name] ?? name;
    if (index.has(canonical)) problems.add(1, `columns "${canonical}" and "${name}" mean the same thing; keep one`);
    else index.set(canonical, i);
  }
  const missing = ['media', 'start_s', 'end_s'].filter((c) => !index.has(c));
  if (missing.length > 0)
    problems.add(1, `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (media may be called video_id)`);
  problems.throwIfAny();

  const extraNames = header.filter((h) => !(SEGMENT_COLUMNS as readonly string[]).includes(ALIASES[h] ?? h));
  const seen = new Map<string, number>();
  const rows: SegmentRow[] = [];

  for (const { line, cells } of table.rows) {
    const cell = (name: string) => {
      const i = index.get(name);
      return i === undefined ? '' : cells[i];
    };
    const media = cell('media').trim();
    if (media === '') problems.add(line, 'media is empty');
    const clipCell = cell('clip_id').trim();
    const clipId = clipCell === '' ? null : clipCell;
    if (media !== '' && clipId !== null) {
      const key = `${media}\u0000${clipId}`;
      const first = seen.get(key);
      if (first !== undefined) problems.add(line, `media ${media} clip_id ${clipId} already appears on line ${first}`);
      else seen.set(key, line);
    }

    const time = (name: string): number => {
      const value = problems.time(line, cell(name), name);
      if (value === null && cell(name).trim() === '') problems.add(line, `${name} is empty; a segment needs start and end times`);
      return value ?? 0;
    };
    const start = time('start_s');
    const end = time('end_s');
    if (start > end) problems.add(line, `start_s ${cell('start_s')} is after end_s ${cell('end_s')}`);

    const sourceCell = cell('source').trim().toLowerCase();
    let source: SegmentSource | null = null;
    if (sourceCell !== '') {
      if ((SOURCES as readonly string[]).includes(sourceCell)) source = sourceCell as SegmentSource;
      else problems.add(line, `source "${cell('source')}" is not one of ${SOURCES.join(', ')}`);
    }

    const splitCell = cell('split');
    const split = splitCell.trim().toLowerCase() === 'untranscribed' ? null : parseSplit(splitCell);
    if (split === undefined) problems.add(line, `split "${splitCell}" is not train, valid or test`);

    const labelCell = cell('label');
    let label: number | null = null;
    if (labelCell.trim() !== '') {
      const value = parseNumberCell(labelCell);
      if (value === undefined) problems.add(line, `label "${labelCell}" is not a number`);
      else if (!isValidScore(value)) problems.add(line, `label ${labelCell} is outside the MOSI range [-3, 3]`);
      else label = value;
    }

    const annotator = cell('annotator').trim();
    const extras: Record<string, string> = {};
    for (const name of extraNames) extras[name] = cells[raw.get(name) as number];
    rows.push({
      media,
      clipId,
      start,
      end,
      text: cell('text'),
      source,
      split: split ?? null,
      label,
      annotator: annotator === '' ? null : annotator,
      extras,
    });
  }
  problems.throwIfAny();
  return rows;
}

export function formatSegmentsCsv(rows: readonly SegmentRow[]): string {
  const extraNames: string[] = [];
  for (const r of rows) {
    for (const name of Object.keys(r.extras)) {
      if ((SEGMENT_COLUMNS as readonly string[]).includes(ALIASES[name] ?? name)) {
        throw new RangeError(`formatSegmentsCsv: extra column "${name}" clashes with a known column`);
      }
      if (!extraNames.includes(name)) extraNames.push(name);
    }
  }
  const body = rows.map((r) => [
    r.media,
    r.clipId ?? '',
    formatSeconds(r.start),
    formatSeconds(r.end),
    r.text,
    r.source ?? '',
    r.split ?? '',
    r.label === null ? '' : formatScore(r.label),
    r.annotator ?? '',
    ...extraNames.map((name) => r.extras[name] ?? ''),
  ]);
  return formatCsv([...SEGMENT_COLUMNS, ...extraNames], body);
}
