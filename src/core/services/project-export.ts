// Exporting a project's human labels (never predictions) as the CSV formats
// MMSA-style training code reads. Several annotators on one segment are combined:
// MOSI scores by their mean, MVSA labels by the most recently updated label.

import { dirname, relative, resolve, sep } from 'node:path';
import type { ExportFormat, ExportReport } from '../../shared/contract';
import type { Media, MosiLabel, MvsaLabel, Segment } from '../../shared/domain';
import { formatMosiLabelCsv, type MosiRow } from '../io/mosi-label-csv';
import { formatMvsaCsv, type MvsaRow } from '../io/mvsa-csv';
import { formatSegmentsCsv, type SegmentRow } from '../io/segments-csv';
import { formatTranscript } from '../io/transcripts';
import { SentiscopeError } from '../../shared/errors';
import { writeTextFileAtomic } from '../io/text-file';
import type { ProjectStore } from '../store';
import { exportTierFile } from './tier-export';

export interface ExportRequest {
  format: ExportFormat;
  path: string;
  /** Only these media; all when absent. */
  mediaIds?: number[];
  /** Only this annotator's labels; all annotators combined when absent. */
  annotator?: string;
}

interface LabelledSegment {
  media: Media;
  segment: Segment;
  mosi: MosiLabel[];
  mvsa: MvsaLabel[];
}

function collect(store: ProjectStore, request: ExportRequest): LabelledSegment[] {
  const media = request.mediaIds ? request.mediaIds.map((id) => store.getMedia(id)) : store.listMedia();
  const out: LabelledSegment[] = [];
  for (const item of media) {
    const labels = store.listLabels(item.id).filter((l) => !request.annotator || l.annotator === request.annotator);
    for (const segment of store.listSegments(item.id)) {
      const own = labels.filter((l) => l.segmentId === segment.id);
      out.push({
        media: item,
        segment,
        mosi: own.filter((l): l is MosiLabel => l.scheme === 'mosi'),
        mvsa: own.filter((l): l is MvsaLabel => l.scheme === 'mvsa'),
      });
    }
  }
  return out;
}

function mean(values: (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length ? present.reduce((a, b) => a + b, 0) / present.length : null;
}

/** Segments imported without times are stored at 0–0; they are written without times. */
function segmentTimes(segment: Segment): { start: number | null; end: number | null } {
  return segment.start === 0 && segment.end === 0 ? { start: null, end: null } : segment;
}

interface CombinedMosi {
  score: number;
  text: number | null;
  audio: number | null;
  visual: number | null;
  annotators: string;
  questionable: boolean;
  notes: string | null;
}

function combineMosi(labels: MosiLabel[]): CombinedMosi | null {
  if (!labels.length) return null;
  const notes = labels.map((l) => l.notes).filter((n) => n !== '');
  return {
    score: mean(labels.map((l) => l.values.score))!,
    text: mean(labels.map((l) => l.values.text)),
    audio: mean(labels.map((l) => l.values.audio)),
    visual: mean(labels.map((l) => l.values.visual)),
    annotators: labels.map((l) => l.annotator).join(';'),
    questionable: labels.some((l) => l.questionable),
    notes: notes.length ? notes.join(' | ') : null,
  };
}

function mosiRows(segments: LabelledSegment[]): MosiRow[] {
  const rows: MosiRow[] = [];
  for (const { media, segment, mosi } of segments) {
    const label = combineMosi(mosi);
    // MMSA training code needs a label on every row: unlabelled segments are left out.
    if (!label) continue;
    rows.push({
      videoId: media.name,
      clipId: segment.clipId,
      text: segment.text,
      label: label.score,
      labelT: label.text,
      labelA: label.audio,
      labelV: label.visual,
      annotation: null,
      mode: segment.split,
      ...segmentTimes(segment),
      annotator: label.annotators,
      // The column appears only when some segment is flagged.
      questionable: label.questionable ? true : null,
      notes: label.notes,
      extras: {},
    });
  }
  return rows;
}

function mvsaRows(segments: LabelledSegment[], outFile: string): MvsaRow[] {
  const outFolder = dirname(outFile);
  const perMedia = new Map<number, number>();
  for (const { media } of segments) perMedia.set(media.id, (perMedia.get(media.id) ?? 0) + 1);
  const rows: MvsaRow[] = [];
  for (const { media, segment, mvsa } of segments) {
    const latest = [...mvsa].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
    if (!latest) continue;
    rows.push({
      // A post is one media item with one segment; more segments get their clip id appended.
      id: perMedia.get(media.id)! > 1 ? `${media.name}_${segment.clipId}` : media.name,
      text: segment.text,
      image: media.path ? relative(outFolder, media.path).split(sep).join('/') : '',
      textLabel: latest.values.text,
      imageLabel: latest.values.image,
      pairLabel: latest.values.pair,
      split: segment.split,
      extras: {},
    });
  }
  return rows;
}

function segmentRows(segments: LabelledSegment[]): SegmentRow[] {
  return segments.map(({ media, segment, mosi }) => {
    const label = combineMosi(mosi);
    return {
      media: media.name,
      clipId: segment.clipId,
      start: segment.start,
      end: segment.end,
      text: segment.text,
      source: segment.source,
      split: segment.split,
      label: label?.score ?? null,
      annotator: label?.annotators ?? null,
      extras: {},
    };
  });
}

export async function exportFromProject(store: ProjectStore, request: ExportRequest): Promise<ExportReport> {
  const file = resolve(request.path);
  const segments = collect(store, request);
  let text: string;
  let rows: number;
  let skippedConflicts = 0;
  switch (request.format) {
    case 'mosi': {
      const mosi = mosiRows(segments);
      text = formatMosiLabelCsv(mosi);
      rows = mosi.length;
      break;
    }
    case 'mvsa': {
      const result = formatMvsaCsv(mvsaRows(segments, file));
      ({ text, rows, skippedConflicts } = result);
      break;
    }
    case 'segments': {
      const all = segmentRows(segments);
      text = formatSegmentsCsv(all);
      rows = all.length;
      break;
    }
    case 'srt':
    case 'vtt': {
      if (request.mediaIds?.length !== 1) {
        throw new SentiscopeError('bad-request', `A ${request.format} transcript is of one media item: name exactly one.`, file);
      }
      const cues = segments.filter(({ segment }) => segment.text !== '').map(({ segment }) => segment);
      text = formatTranscript(cues, request.format);
      rows = cues.length;
      break;
    }
    case 'eaf':
    case 'textgrid':
      ({ text, rows } = exportTierFile(store, request.format, file, request.mediaIds, request.annotator));
      break;
  }
  await writeTextFileAtomic(file, text);
  return { format: request.format, file, rows, skippedConflicts };
}
