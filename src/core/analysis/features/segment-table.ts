// The batch input table shared by `sentiscope features` and `sentiscope predict` (ARCHITECTURE
// "CLI"): one segment per row. The whole file is read and checked before any work starts,
// so a typo on line 9,000 is reported before 8,999 rows of work, with every problem at once
// as "FILE line N: reason".
//
// [Note: segment table]
// - Ids: `id`, else `video_id` + `clip_id` (as `sentiscope eval` matches rows). An id
//   may appear once.
// - `text`: the segment's words. `audio`: an audio (or any media) file. `video`: a video
//   file, giving the visual modality and, where the row has no `audio` cell, the audio
//   too. `image`: a still, giving the visual modality. A row may not give both `image` and
//   `video`. An empty cell means the row has nothing for that modality; a table without a
//   `text` column needs at least one media cell on every row.
// - `start_s`, `end_s`: seconds into the row's audio/video (empty: from the start / to
//   the end); end_s < start_s is refused, end_s == start_s is an empty segment whose audio
//   and visual are absent. Stills ignore them.
// - Paths are relative to the base folder (default: the input file's folder); a file
//   named that does not exist is a problem, a file that exists but has no audio, no face
//   or cannot be decoded is not: that modality is absent when extracted.
// - Every other column is carried through to the output untouched, except the `reserved`
//   ones (columns the command writes itself, such as predict's pred_score).

import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { FileProblems, columnIndex, readCsvTable } from '../../io/file-problems';
import { readTextFile } from '../../io/text-file';
import type { Modality } from '../../../shared/domain';
import type { SegmentSource } from './segment-features';

export const MEDIA_COLUMNS = ['image', 'audio', 'video'] as const;
/** Columns that say what a segment is made of; all others but the ids are carried through. */
export const SEGMENT_INPUT_COLUMNS = ['text', ...MEDIA_COLUMNS, 'start_s', 'end_s'] as const;

export interface SegmentTableRow {
  /** 1-based line of the row in the CSV. */
  line: number;
  /** Id cells in `idColumns` order (trimmed). */
  ids: string[];
  source: SegmentSource;
  /** Carried cells in `carriedColumns` order. */
  carried: string[];
}

export interface SegmentTable {
  /** The input file, resolved. */
  file: string;
  /** The folder media paths were resolved against. */
  base: string;
  idColumns: string[];
  carriedColumns: string[];
  /** Which input columns the file has. */
  inputColumns: string[];
  /** Modalities the columns can give. */
  modalities: Modality[];
  rows: SegmentTableRow[];
}

export interface ReadSegmentTableOptions {
  /** Folder media paths are relative to; default the CSV's folder. */
  base?: string;
  /** Columns never carried through (the command writes its own under those names). */
  reserved?: readonly string[];
  /** The command to run again, for the error's "what to do" (e.g. 'predict'). */
  command?: string;
}

function fileProblem(path: string): string | null {
  try {
    return statSync(path).isFile() ? null : 'is not a file';
  } catch {
    return 'does not exist';
  }
}

/**
 * Reads and checks the whole table; throws a FileProblemsError listing every bad row
 * (missing id columns, duplicate ids, missing files, bad times, rows with no input, an
 * empty table) before anything is extracted.
 */
export async function readSegmentTable(file: string, options: ReadSegmentTableOptions = {}): Promise<SegmentTable> {
  const path = resolve(file);
  const base = resolve(options.base ?? dirname(path));
  const reserved = options.reserved ?? [];
  const table = readCsvTable(await readTextFile(path), path);
  const problems = new FileProblems(
    path,
    'bad-csv',
    `Nothing was processed; fix these rows (paths are relative to --base, default the CSV's folder) and run ${options.command ?? 'the command'} again.`,
  );
  const index = columnIndex(table.header, problems);
  const has = (column: string) => index.has(column);

  const idColumns = has('id') ? ['id'] : has('video_id') && has('clip_id') ? ['video_id', 'clip_id'] : [];
  if (!idColumns.length) problems.add(1, 'the header needs an "id" column, or "video_id" and "clip_id"');
  const anyInput = has('text') || MEDIA_COLUMNS.some(has);
  if (!anyInput) problems.add(1, 'the header names no input column: give at least one of text, image, audio, video');

  const inputColumns: string[] = SEGMENT_INPUT_COLUMNS.filter(has);
  const understood = new Set<string>([...idColumns, ...SEGMENT_INPUT_COLUMNS]);
  const carriedColumns = [...index.keys()].filter((c) => !understood.has(c) && !reserved.includes(c));
  const modalities: Modality[] = [];
  if (has('text')) modalities.push('text');
  if (has('audio') || has('video')) modalities.push('audio');
  if (has('image') || has('video')) modalities.push('visual');

  const seen = new Map<string, number>();
  const rows: SegmentTableRow[] = [];
  for (const { line, cells } of table.rows) {
    const cell = (column: string) => (has(column) ? (cells[index.get(column)!] ?? '') : '');
    const ids = idColumns.map((c) => cell(c).trim());
    const key = ids.join('\u0000');
    // Without id columns (said once, on line 1) the rows are still checked for the rest.
    if (idColumns.length && ids.some((id) => id === '')) problems.add(line, `empty ${idColumns.join(' / ')}`);
    else if (idColumns.length && seen.has(key)) problems.add(line, `id ${ids.join(' ')} appears twice (first on line ${seen.get(key)})`);
    else seen.set(key, line);

    const media: Partial<Record<(typeof MEDIA_COLUMNS)[number], string>> = {};
    for (const column of MEDIA_COLUMNS) {
      const value = cell(column).trim();
      if (!value) continue;
      const full = isAbsolute(value) ? value : resolve(base, value);
      const problem = fileProblem(full);
      if (problem) problems.add(line, `${column} file ${value} ${problem} (looked for ${full})`);
      media[column] = full;
    }
    if (media.image && media.video) problems.add(line, 'gives both image and video: give one visual source per row');
    if (anyInput && !has('text') && !media.image && !media.audio && !media.video)
      problems.add(line, 'the row has no text, image, audio or video');

    const start = problems.time(line, cell('start_s'), 'start_s');
    const end = problems.time(line, cell('end_s'), 'end_s');
    const range = {
      ...(start !== null ? { start } : {}),
      ...(end !== null ? { end } : {}),
    };
    if (range.start !== undefined && range.end !== undefined && range.end < range.start) {
      problems.add(line, `end_s ${range.end} is before start_s ${range.start}`);
    }

    const audioPath = media.audio ?? media.video;
    const source: SegmentSource = {
      text: has('text') ? cell('text') : null,
      audio: audioPath ? { path: audioPath, ...range } : null,
      visual: media.video ? { path: media.video, ...range } : media.image ? { path: media.image } : null,
    };
    rows.push({ line, ids, source, carried: carriedColumns.map((c) => cell(c)) });
  }
  if (table.rows.length === 0) problems.add(1, 'the file has a header but no rows');
  problems.throwIfAny();
  return { file: path, base, idColumns, carriedColumns, inputColumns, modalities, rows };
}
