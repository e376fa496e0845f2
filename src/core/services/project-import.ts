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
import { parsePlainTranscript, wordsOf } from '../io/plain-transcript';
import { parseTranscriptCsv } from '../io/transcript-csv';
import { parseTranscript } from '../io/transcripts';
import type { ProjectStore } from '../store';
import { sameSegment } from '../../shared/segment-overlap';
import { importTierFile, readTierFile } from './tier-import';
import { shareTextBySpans, spreadWords, type TimeSpan } from './transcript-alignment';

export interface ImportRequest {
  format: ImportFormat;
  path: string;
  /** Transcripts only (srt, vtt, txt, transcript-csv): the media the transcript belongs to. */
  mediaId?: number;
  /**
   * Who the labels are stored under. Given, it wins over a file's own annotator column,
   * so each annotator's file lands under their name; absent, the file's column or
   * DEFAULT_IMPORT_ANNOTATOR.
   */
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

async function importMosi(store: ProjectStore, file: string, annotator: string | undefined): Promise<ImportTally> {
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
        annotator: annotator ?? row.annotator ?? DEFAULT_IMPORT_ANNOTATOR,
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

async function importMvsa(store: ProjectStore, file: string, annotator: string | undefined): Promise<ImportTally> {
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
      const segment = upsertSegment(store, media.id, { clipId: '1', start: null, end: null, text: row.text, split: row.split }, tally);
      if (row.textLabel === null && row.imageLabel === null && row.pairLabel === null) continue;
      tally.labels++;
      store.setMvsaLabel({
        segmentId: segment.id,
        annotator: annotator ?? DEFAULT_IMPORT_ANNOTATOR,
        values: { text: row.textLabel, image: row.imageLabel, pair: row.pairLabel },
      });
    }
  });
  return tally;
}

/**
 * A row without a clip id is the media's existing segment it overlaps (IoU >= 0.9)
 * when there is one: another annotator's copy of the same segments lands on them,
 * leaving their times as they were.
 */
function segmentForRow(store: ProjectStore, mediaId: number, row: SegmentFields, tally: ImportTally): Segment {
  if (row.clipId === null && row.start !== null) {
    const same = sameSegment({ start: row.start, end: row.end ?? row.start }, store.listSegments(mediaId));
    if (same) {
      tally.segments++;
      return store.updateSegment(same.id, { text: row.text, split: row.split });
    }
  }
  return upsertSegment(store, mediaId, row, tally);
}

async function importSegments(store: ProjectStore, file: string, annotator: string | undefined): Promise<ImportTally> {
  const rows = parseSegmentsCsv(await readTextFile(file), file);
  const tally = new ImportTally();
  store.transaction(() => {
    for (const row of rows) {
      const media = mediaByName(store, row.media, tally);
      const segment = segmentForRow(store, media.id, row, tally);
      if (row.label === null) continue;
      tally.labels++;
      store.setMosiLabel({
        segmentId: segment.id,
        annotator: annotator ?? row.annotator ?? DEFAULT_IMPORT_ANNOTATOR,
        values: { score: row.label, text: null, audio: null, visual: null },
      });
    }
  });
  return tally;
}

/** The media a transcript attaches to; not-found before anything is parsed or written. */
function transcriptMedia(store: ProjectStore, file: string, mediaId: number | undefined): Media {
  if (mediaId === undefined) {
    throw new SentiscopeError('bad-request', `${file}: a transcript needs the media it belongs to (give --media FILE).`, file);
  }
  return store.getMedia(mediaId);
}

interface TimedLine {
  start: number;
  end: number;
  text: string;
}

/** Timed lines (cues, CSV rows) -> aligned segments, word times estimated within each line. */
function writeTimedLines(store: ProjectStore, mediaId: number, lines: readonly TimedLine[]): ImportTally {
  const tally = new ImportTally();
  store.transaction(() => {
    for (const line of lines) {
      tally.segments++;
      store.createSegment({
        mediaId,
        start: line.start,
        end: line.end,
        text: line.text,
        words: spreadWords(line.text, line.start, line.end),
        source: 'import',
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
  const media = transcriptMedia(store, file, mediaId);
  const cues = parseTranscript(await readTextFile(file), file, format);
  return writeTimedLines(store, media.id, cues);
}

/**
 * Where untimed text goes: the media's segments when it has any (their spans are kept),
 * else the speech Silero VAD finds; a media item without speech (or audio) gets one span
 * over its whole length.
 */
async function speechSpans(store: ProjectStore, media: Media, file: string): Promise<{ spans: TimeSpan[]; existing: Segment[] }> {
  const existing = store.listSegments(media.id);
  if (existing.length > 0) return { spans: existing, existing };
  if (!media.path || (media.kind !== 'video' && media.kind !== 'audio')) {
    throw new SentiscopeError(
      'bad-file',
      `${file}: media '${media.name}' has no audio to spread a transcript without times over; ` +
        'add its video or audio file, or import a transcript with times (SRT, VTT, or a CSV with start_s,end_s).',
      file,
    );
  }
  const duration = media.probe?.duration ?? 0;
  if (media.probe && media.probe.audio === null) return { spans: [{ start: 0, end: duration }], existing };
  // Loaded here, not at the top: onnxruntime is only needed when text has no times.
  const { segmentMediaByVad } = await import('../analysis/segmentation/vad-segmenter');
  const vad = await segmentMediaByVad(media.path);
  if (vad.segments.length > 0) return { spans: vad.segments.map(({ start, end }) => ({ start, end })), existing };
  return { spans: [{ start: 0, end: Math.max(duration, vad.duration) }], existing };
}

/** Sentences without times -> spread over the speech, in order, marked unaligned. */
async function spreadUntimed(store: ProjectStore, media: Media, file: string, sentences: string[][]): Promise<ImportTally> {
  const { spans, existing } = await speechSpans(store, media, file);
  const texts = shareTextBySpans(sentences, spans);
  const tally = new ImportTally();
  store.transaction(() => {
    spans.forEach((span, k) => {
      tally.segments++;
      const fields = { text: texts[k], words: spreadWords(texts[k], span.start, span.end), aligned: false };
      // Existing segments keep their span, clip id and source: only the text is a guess.
      if (existing.length > 0) store.updateSegment(existing[k].id, fields);
      else store.createSegment({ mediaId: media.id, start: span.start, end: span.end, source: 'import', ...fields });
    });
  });
  return tally;
}

async function importPlainText(store: ProjectStore, file: string, mediaId: number | undefined): Promise<ImportTally> {
  const media = transcriptMedia(store, file, mediaId);
  const { sentences } = parsePlainTranscript(await readTextFile(file), file);
  return spreadUntimed(store, media, file, sentences);
}

async function importTranscriptCsv(store: ProjectStore, file: string, mediaId: number | undefined): Promise<ImportTally> {
  const media = transcriptMedia(store, file, mediaId);
  const csv = parseTranscriptCsv(await readTextFile(file), file);
  if (csv.timed) {
    return writeTimedLines(
      store,
      media.id,
      csv.rows.map((r) => ({ start: r.start as number, end: r.end as number, text: r.text })),
    );
  }
  // Each row is one utterance: a sentence end the spread prefers to cut at.
  return spreadUntimed(
    store,
    media,
    file,
    csv.rows.map((r) => wordsOf(r.text)),
  );
}

export async function importIntoProject(store: ProjectStore, request: ImportRequest): Promise<ImportReport> {
  const file = resolve(request.path);
  const annotator = request.annotator?.trim() || undefined;
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
    case 'txt':
      tally = await importPlainText(store, file, request.mediaId);
      break;
    case 'transcript-csv':
      tally = await importTranscriptCsv(store, file, request.mediaId);
      break;
    case 'eaf':
    case 'textgrid':
      return importTierFile(store, {
        format: request.format,
        file,
        mediaId: request.mediaId,
        annotator,
        ...(await readTierFile(request.format, file)),
      });
  }
  return { format: request.format, file, ...tally };
}
