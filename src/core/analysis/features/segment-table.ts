// The batch input table shared by `sentiscope features` and `sentiscope predict`: one segment
// per row, `id` or `video_id`+`clip_id`, then whichever of `text`, `image`, `audio`, `video`,
// `start_s`, `end_s` the file has; every other column is carried through untouched.
// The whole file is checked before any work starts, so a batch never fails at row 9,000
// on a typo: every problem comes back at once with its line number.

import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { FileProblems, columnIndex, parseTimeCell, readCsvTable } from '../../io/file-problems';
import { readTextFile } from '../../io/text-file';
import type { SegmentSource } from '../segment-features';

/** Columns that say what a segment is made of; all others are carried through. */
export const SEGMENT_INPUT_COLUMNS = ['text', 'image', 'audio', 'video', 'start_s', 'end_s'] as const;

export interface SegmentTableRow {
  /** 1-based line of the row in the CSV. */
  line: number;
  /** Id cells in `idColumns` order. */
  ids: string[];
  source: SegmentSource;
  /** Carried cells in `carriedColumns` order. */
  carried: string[];
}

export interface SegmentTable {
  file: string;
  base: string;
  idColumns: string[];
  carriedColumns: string[];
  /** Which input columns the file has. */
  inputColumns: string[];
  rows: SegmentTableRow[];
}

const WHAT_TO_DO = 'Nothing was processed; fix these rows (paths are relative to --base, default the CSV\'s folder) and run again.';

/**
 * Reads and checks the table. Media paths resolve against `base` (default: the CSV's
 * folder). Refuses (FileProblemsError naming lines) missing id columns, missing files, bad
 * times and rows with no input at all.
 */
export async function readSegmentTable(file: string, base?: string): Promise<SegmentTable> {
  const table = readCsvTable(await readTextFile(file), file);
  const root = resolve(base ?? dirname(resolve(file)));
  const problems = new FileProblems(file, 'bad-csv', WHAT_TO_DO);
  const index = columnIndex(table.header, problems);

  let idColumns: string[] = [];
  if (index.has('id')) idColumns = ['id'];
  else if (index.has('video_id') && index.has('clip_id')) idColumns = ['video_id', 'clip_id'];
  else problems.add(1, 'the header needs an "id" column, or "video_id" and "clip_id"');
  const inputColumns = SEGMENT_INPUT_COLUMNS.filter((c) => index.has(c));
  if (!['text', 'image', 'audio', 'video'].some((c) => index.has(c))) {
    problems.add(1, 'the header names no input column: give at least one of text, image, audio, video');
  }
  const known = new Set<string>([...idColumns, ...SEGMENT_INPUT_COLUMNS]);
  const carriedColumns = [...index.keys()].filter((c) => !known.has(c));

  const cell = (cells: string[], column: string): string | undefined => {
    const i = index.get(column);
    return i === undefined ? undefined : cells[i];
  };
  const rows: SegmentTableRow[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const ids = idColumns.map((c) => cell(cells, c) ?? '');
    if (idColumns.length && ids.some((v) => v.trim() === '')) problems.add(line, `empty ${idColumns.join('/')}`);
    const key = ids.join('\u0000');
    if (idColumns.length && seen.has(key)) problems.add(line, `id ${ids.join('/')} repeats line ${seen.get(key)}`);
    else seen.set(key, line);

    const times: (number | null)[] = [];
    for (const column of ['start_s', 'end_s']) {
      const raw = cell(cells, column);
      const value = raw === undefined ? null : parseTimeCell(raw, column);
      if (typeof value === 'string') problems.add(line, value);
      times.push(typeof value === 'number' ? value : null);
    }
    const [start, end] = times;
    if (start !== null && end !== null && end < start) problems.add(line, `end_s ${end} is before start_s ${start}`);

    const media = (column: 'image' | 'audio' | 'video'): string | null => {
      const raw = cell(cells, column)?.trim();
      if (!raw) return null;
      const path = isAbsolute(raw) ? raw : resolve(root, raw);
      if (!existsSync(path)) problems.add(line, `${column} file ${raw} does not exist (looked for ${path})`);
      else if (!statSync(path).isFile()) problems.add(line, `${column} ${raw} is not a file`);
      return path;
    };
    const video = media('video');
    const audio = media('audio');
    const image = media('image');
    const text = cell(cells, 'text');
    if (text === undefined && !video && !audio && !image && inputColumns.length) {
      problems.add(line, 'the row has no text, image, audio or video');
    }
    const range = { ...(start !== null ? { start } : {}), ...(end !== null ? { end } : {}) };
    const source: SegmentSource = {
      text: text ?? null,
      audio: audio ? { path: audio, ...range } : video ? { path: video, ...range } : null,
      visual: image ? { path: image } : video ? { path: video, ...range } : null,
    };
    rows.push({ line, ids, source, carried: carriedColumns.map((c) => cell(cells, c) ?? '') });
  }
  if (table.rows.length === 0) problems.add(1, 'the file has a header but no rows');
  problems.throwIfAny();
  return { file, base: root, idColumns, carriedColumns, inputColumns, rows };
}
