// A small real project for refit tests: RAVDESS speech clips (../shared/data/ravdess), one
// audio media item per clip with one segment spanning it (the statement as its text) and
// a MOSI score from the data README's valence mapping (positive +2, neutral 0, negative -2),
// added through the real probe and store.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/shared/csv';
import { ProjectStore, addMediaFile } from '../../src/core/store';

export const RAVDESS = fileURLToPath(new URL('../../../shared/data/ravdess/', import.meta.url));
export const HAS_RAVDESS = existsSync(join(RAVDESS, 'labels.csv'));

const VALENCE: Record<string, number> = { happy: 2, neutral: 0, calm: 0, angry: -2, sad: -2, fearful: -2, disgust: -2 };

export interface RavdessClip {
  file: string;
  actor: number;
  statement: string;
  score: number;
}

/** Statement 1, first repetition, of `actors` (13 clips an actor), surprise left out. */
export function ravdessClips(actors: readonly number[]): RavdessClip[] {
  const { rows } = parseCsv(readFileSync(join(RAVDESS, 'labels.csv'), 'utf8'));
  return rows
    .map((r) => r.cells)
    .filter(
      ([file, actor, , emotion, , , repetition]) =>
        actors.includes(Number(actor)) && emotion in VALENCE && repetition === '01' && file.split('-')[4] === '01',
    )
    .map(([file, actor, , emotion, , statement]) => ({
      file: join(RAVDESS, file),
      actor: Number(actor),
      statement,
      score: VALENCE[emotion],
    }));
}

/** Adds `clips` to the project at `path`, labelled by `annotator`; returns the segment ids in clip order. */
export async function addLabelledClips(path: string, clips: readonly RavdessClip[], annotator = 'ana', labelled = true): Promise<number[]> {
  const store = ProjectStore.open(path);
  try {
    const ids: number[] = [];
    for (const clip of clips) {
      const media = await addMediaFile(store, clip.file);
      const segment = store.createSegment({
        mediaId: media.id,
        start: 0,
        end: media.probe!.duration,
        text: clip.statement,
        source: 'manual',
      });
      if (labelled)
        store.setMosiLabel({ segmentId: segment.id, annotator, values: { score: clip.score, text: null, audio: null, visual: null } });
      ids.push(segment.id);
    }
    return ids;
  } finally {
    store.close();
  }
}
