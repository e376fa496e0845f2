// The input table of `sentiscope predict` (ARCHITECTURE "CLI"): read and checked whole
// before any prediction, so a typo on line 900 is reported before 899 rows of work, with
// every problem as "FILE line N: reason".
//
// [Note: predict input]
// - Ids: `id`, else `video_id` + `clip_id` (as `sentiscope eval` matches rows). An id
//   may appear once.
// - `text`: the segment's words. `audio`: an audio (or any media) file. `video`: a video
//   file, giving the visual modality and, where the row has no `audio` cell, the audio
//   too. `image`: a still, giving the visual modality. A row may not give both `image` and
//   `video`. An empty cell means the row has nothing for that modality.
// - `start_s`, `end_s`: seconds into the row's audio/video (empty: from the start / to
//   the end); end_s < start_s is refused, end_s == start_s is an empty segment whose audio
//   and visual are absent. Stills ignore them.
// - Paths are relative to the base folder (default: the input file's folder); a file
//   named that does not exist is a problem, a file that exists but has no audio, no face
//   or cannot be decoded is not: that modality is absent in the prediction.
// - Every other column is carried through to the output, after the prediction columns.

import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { SegmentSource } from '../analysis/segment-features';
import { FileProblems, columnIndex, parseTimeCell, readCsvTable } from '../io/file-problems';
import { readTextFile } from '../io/text-file';
import type { Modality } from './manifest';

export const MEDIA_COLUMNS = ['image', 'audio', 'video'] as const;
export const INPUT_COLUMNS = ['id', 'video_id', 'clip_id', 'text', ...MEDIA_COLUMNS, 'start_s', 'end_s'] as const;

export interface PredictInputRow {
  /** 1-based line in the input file. */
  line: number;
  /** Cells of the id columns. */
  ids: string[];
  source: SegmentSource;
  /** Cells of the carried columns. */
  carried: string[];
}

export interface PredictInput {
  file: string;
  base: string;
  idColumns: string[];
  carriedColumns: string[];
  /** Modalities the columns can give. */
  modalities: Modality[];
  rows: PredictInputRow[];
}

function fileProblem(path: string): string | null {
  try {
    return statSync(path).isFile() ? null : 'is not a file';
  } catch {
    return 'does not exist';
  }
}

/** Reads and checks the whole input; throws a FileProblemsError listing every bad row. */
export async function readPredictInput(file: string, baseDir?: string, reserved: readonly string[] = []): Promise<PredictInput> {
  const path = resolve(file);
  const base = resolve(baseDir ?? dirname(path));
  const table = readCsvTable(await readTextFile(path), path);
  const problems = new FileProblems(path, 'bad-csv', 'Nothing was predicted; fix these rows and run predict again.');
  const index = columnIndex(table.header, problems);
  const idColumns = index.has('id') ? ['id'] : index.has('video_id') && index.has('clip_id') ? ['video_id', 'clip_id'] : null;
  if (!idColumns) problems.add(1, 'no id column: give `id`, or `video_id` and `clip_id`');
  const has = (c: string) => index.has(c);
  if (!has('text') && !MEDIA_COLUMNS.some(has)) problems.add(1, 'no input column: give at least one of text, image, audio, video');
  problems.throwIfAny();

  const understood = new Set<string>([...idColumns!, 'text', ...MEDIA_COLUMNS, 'start_s', 'end_s']);
  const carriedColumns = table.header.map((h) => h.trim()).filter((h) => !understood.has(h) && !reserved.includes(h));
  const modalities: Modality[] = [];
  if (has('text')) modalities.push('text');
  if (has('audio') || has('video')) modalities.push('audio');
  if (has('image') || has('video')) modalities.push('visual');

  const seen = new Set<string>();
  const rows: PredictInputRow[] = [];
  for (const row of table.rows) {
    const cell = (name: string) => (index.has(name) ? (row.cells[index.get(name)!] ?? '') : '');
    const ids = idColumns!.map((c) => cell(c).trim());
    const key = ids.join('$_$');
    if (ids.some((id) => id === '')) problems.add(row.line, `empty ${idColumns!.join(' / ')}`);
    else if (seen.has(key)) problems.add(row.line, `id ${ids.join(' ')} appears twice`);
    seen.add(key);

    const media: Partial<Record<(typeof MEDIA_COLUMNS)[number], string>> = {};
    for (const column of MEDIA_COLUMNS) {
      const value = cell(column).trim();
      if (!value) continue;
      const full = isAbsolute(value) ? value : resolve(base, value);
      const problem = fileProblem(full);
      if (problem) problems.add(row.line, `${column} file ${value} ${problem} (looked for ${full})`);
      media[column] = full;
    }
    if (media.image && media.video) problems.add(row.line, 'gives both image and video: give one visual source per row');

    const start = parseTimeCell(cell('start_s'), 'start_s');
    const end = parseTimeCell(cell('end_s'), 'end_s');
    if (typeof start === 'string') problems.add(row.line, start);
    if (typeof end === 'string') problems.add(row.line, end);
    const range = {
      start: typeof start === 'number' ? start : undefined,
      end: typeof end === 'number' ? end : undefined,
    };
    if (range.start !== undefined && range.end !== undefined && range.end < range.start) {
      problems.add(row.line, `end_s ${range.end} is before start_s ${range.start}`);
    }

    const audioPath = media.audio ?? media.video;
    const source: SegmentSource = {
      text: has('text') ? cell('text') : null,
      audio: audioPath ? { path: audioPath, ...range } : null,
      visual: media.video ? { path: media.video, ...range } : media.image ? { path: media.image } : null,
    };
    const carried = carriedColumns.map((c) => cell(c));
    rows.push({ line: row.line, ids, source, carried });
  }
  problems.throwIfAny();
  return { file: path, base, idColumns: idColumns!, carriedColumns, modalities, rows };
}
