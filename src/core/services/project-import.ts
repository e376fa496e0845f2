// Importing a file into a project. Every format is parsed and validated whole first
// (a bad file is refused with its line numbers), then written in ONE store transaction:
// nothing is half-imported, and a failure leaves the project as it was.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ImportFormat, ImportReport } from '../../shared/contract';
import type { Media, Segment, Split } from '../../shared/domain';
import { SentiscopeError } from '../../shared/errors';
import { parseMosiLabelCsv } from '../io/mosi-label-csv';
import { parseMvsaCsv, type MvsaRow } from '../io/mvsa-csv';
import { parseSegmentsCsv } from '../io/segments-csv';
import { readTextFile } from '../io/text-file';
import { parseTranscript } from '../io/transcripts';
import type { ProjectStore } from '../store';

export interface ImportRequest {
  format: ImportFormat;
  path: string;
  /** SRT/VTT only: the media the transcript belongs to. */
  mediaId?: number;
  /** Who the labels are stored under when the file does not say. */
  annotator?: string;
}

export const DEFAULT_IMPORT_ANNOTATOR = 'imported';

/** Counts what an import wrote. */
class ImportTally {
  mediaCreated = 0;
  segments = 0;
  labels = 0;
}

function mediaByName(store: ProjectStore, name: string, tally: ImportTally): Media {
  const found = store.findMediaByName(name);
  if (found) return found;
  tally.mediaCreated++;
  return store.addMedia({ name });
}

interface SegmentFields {
  clipId: string | null;
  start: number | null;
  end: number | null;
  text: string;
  split: Split | null;
}

/** The segment with this clip id, updated from the file, or a new one. */
function upsertSegment(store: ProjectStore, mediaId: number, fields: SegmentFields, tally: ImportTally): Segment {
  tally.segments++;
  const existing = fields.clipId === null ? null : store.findSegment(mediaId, fields.clipId);
  const times = fields.start === null ? {} : { start: fields.start, end: fields.end ?? fields.start };
  if (existing) {
    return store.updateSegment(existing.id, { ...times, text: fields.text, split: fields.split });
  }
  return store.createSegment({
    mediaId,
    clipId: fields.clipId ?? undefined,
    start: 0,
    end: 0,
    ...times,
    source: 'import',
    text: fields.text,
    split: fields.split,
  });
}

async function importMosi(store: ProjectStore, file: string, annotator: string): Promise<ImportTally> {
  const rows = parseMosiLabelCsv(await readTextFile(file), file);
  const tally = new ImportTally();
  store.transaction(() => {
    for (const row of rows) {
      const media = mediaByName(store, row.videoId, tally);
      const segment = upsertSegment(store, media.id, { ...row, split: row.mode }, tally);
      if (row.label === null) continue;
      tally.labels++;
      store.setMosiLabel({
        segmentId: segment.id,
        annotator: row.annotator ?? annotator,
        values: { score: row.label, text: row.labelT, audio: row.labelA, visual: row.labelV },
        notes: row.notes ?? undefined,
        questionable: row.questionable ?? undefined,
      });
    }
  });
  return tally;
}

/** Image paths in an MVSA file are relative to the file's folder; each must exist. */
function resolveImages(rows: MvsaRow[], file: string): Map<string, string> {
  const folder = dirname(file);
  const images = new Map<string, string>();
  const missing: string[] = [];
  for (const row of rows) {
    if (row.image === '') continue;
    const path = resolve(folder, row.image);
    if (existsSync(path)) images.set(row.id, path);
    else missing.push(`${row.image} (post ${row.id})`);
  }
  if (missing.length) {
    const shown = missing.slice(0, 5).join(', ');
    const more = missing.length > 5 ? ` and ${missing.length - 5} more` : '';
    throw new SentiscopeError(
      'bad-csv',
      `${file}: ${missing.length} image(s) not found: ${shown}${more}. Image paths are read relative to the CSV's folder; ` +
        'put the images there or fix the paths. Nothing was imported.',
      file,
    );
  }
  return images;
}

async function importMvsa(store: ProjectStore, file: string, annotator: string): Promise<ImportTally> {
  const rows = parseMvsaCsv(await readTextFile(file), file);
  const images = resolveImages(rows, file);
  const tally = new ImportTally();
  store.transaction(() => {
    for (const row of rows) {
      const found = store.findMediaByName(row.id);
      const image = images.get(row.id) ?? null;
      let media = found;
      if (!media) {
        tally.mediaCreated++;
        // Images are probed when opened, not here: probing thousands of posts would make
        // an import take minutes.
        media = store.addMedia({ name: row.id, path: image, kind: image ? 'image' : 'none' });
      }
      const segment = upsertSegment(
        store,
        media.id,
        { clipId: '1', start: null, end: null, text: row.text, split: row.split },
        tally,
      );
      if (row.textLabel === null && row.imageLabel === null && row.pairLabel === null) continue;
      tally.labels++;
      store.setMvsaLabel({
        segmentId: segment.id,
        annotator,
        values: { text: row.textLabel, image: row.imageLabel, pair: row.pairLabel },
      });
    }
  });
  return tally;
}

async function importSegments(store: ProjectStore, file: string, annotator: string): Promise<ImportTally> {
  const rows = parseSegmentsCsv(await readTextFile(file), file);
  const tally = new ImportTally();
  store.transaction(() => {
    for (const row of rows) {
      const media = mediaByName(store, row.media, tally);
      const segment = upsertSegment(store, media.id, row, tally);
      if (row.label === null) continue;
      tally.labels++;
      store.setMosiLabel({
        segmentId: segment.id,
        annotator: row.annotator ?? annotator,
        values: { score: row.label, text: null, audio: null, visual: null },
      });
    }
  });
  return tally;
}

async function importTranscript(
  store: ProjectStore,
  file: string,
  format: 'srt' | 'vtt',
  mediaId: number | undefined,
): Promise<ImportTally> {
  if (mediaId === undefined) {
    throw new SentiscopeError('bad-input', `${file}: a transcript needs the media it belongs to (give --media FILE).`, file);
  }
  store.getMedia(mediaId); // not-found before anything is parsed or written
  const cues = parseTranscript(await readTextFile(file), file, format);
  const tally = new ImportTally();
  store.transaction(() => {
    for (const cue of cues) {
      tally.segments++;
      store.createSegment({ mediaId, start: cue.start, end: cue.end, text: cue.text, source: 'import' });
    }
  });
  return tally;
}

export async function importIntoProject(store: ProjectStore, request: ImportRequest): Promise<ImportReport> {
  const file = resolve(request.path);
  const annotator = request.annotator ?? DEFAULT_IMPORT_ANNOTATOR;
  let tally: ImportTally;
  switch (request.format) {
    case 'mosi':
      tally = await importMosi(store, file, annotator);
      break;
    case 'mvsa':
      tally = await importMvsa(store, file, annotator);
      break;
    case 'segments':
      tally = await importSegments(store, file, annotator);
      break;
    case 'srt':
    case 'vtt':
      tally = await importTranscript(store, file, request.format, request.mediaId);
      break;
  }
  return { format: request.format, file, ...tally };
}
