// Exporting a project's human labels (never predictions) as the CSV formats
// MMSA-style training code reads. Several annotators on one segment are aggregated
// (label-aggregation.ts): MOSI scores by their mean or median, MVSA by the per-side
// majority then the pair rule. With more than one annotator the rows also carry who
// labelled them, each one's label and how the exported label came about.

import { dirname, relative, resolve, sep } from 'node:path';
import type { ExportAggregate, ExportFormat, ExportReport } from '../../shared/contract';
import type { Adjudication, Label, Media, MosiLabel, MvsaLabel, Segment } from '../../shared/domain';
import {
  adjudicatedMosi,
  adjudicatedMvsa,
  aggregateMosi,
  aggregateMvsa,
  mvsaPairOf,
  type MosiAggregate,
  type Provenance,
} from '../../shared/label-aggregation';
import { formatScore } from '../../shared/schemes/mosi';
import { MOSI_KNOWN_EXTRA_COLUMNS, MOSI_LABEL_COLUMNS, formatMosiLabelCsv, type MosiRow } from '../io/mosi-label-csv';
import { MVSA_COLUMNS, formatMvsaCsv, type MvsaRow } from '../io/mvsa-csv';
import { formatSegmentsCsv, type SegmentRow } from '../io/segments-csv';
import { formatTranscript } from '../io/transcripts';
import { SentiscopeError } from '../../shared/errors';
import { writeTextFileAtomic } from '../io/text-file';
import type { ProjectStore } from '../store';
import { exportTierFile } from './tier-export';
import { exportTraceCsv } from './trace-export';

export interface ExportRequest {
  format: ExportFormat;
  path: string;
  /** Only these media; all when absent. */
  mediaIds?: number[];
  /** Only this annotator's labels; all annotators combined when absent. */
  annotator?: string;
  /**
   * mosi: mean (default) or median of the scores; mvsa always takes the majority.
   * adjudicated: the adjudicator's label where there is one, else the default.
   */
  aggregate?: ExportAggregate;
  /** mosi/mvsa: leave out segments labelled by fewer annotators than this (default 1). */
  minAnnotators?: number;
}

interface LabelledSegment {
  media: Media;
  segment: Segment;
  mosi: MosiLabel[];
  mvsa: MvsaLabel[];
  /** The adjudicator's labels, read only for --aggregate adjudicated. */
  adjudicated: Adjudication[];
}

function collect(store: ProjectStore, request: ExportRequest): LabelledSegment[] {
  const media = request.mediaIds ? request.mediaIds.map((id) => store.getMedia(id)) : store.listMedia();
  const out: LabelledSegment[] = [];
  for (const item of media) {
    const labels = store.listLabels(item.id).filter((l) => !request.annotator || l.annotator === request.annotator);
    const adjudicated = request.aggregate === 'adjudicated' ? store.listAdjudications(item.id) : [];
    for (const segment of store.listSegments(item.id)) {
      const own = labels.filter((l) => l.segmentId === segment.id);
      out.push({
        media: item,
        segment,
        mosi: own.filter((l): l is MosiLabel => l.scheme === 'mosi'),
        mvsa: own.filter((l): l is MvsaLabel => l.scheme === 'mvsa'),
        adjudicated: adjudicated.filter((a) => a.segmentId === segment.id),
      });
    }
  }
  return out;
}

/** Segments imported without times are stored at 0–0; they are written without times. */
function segmentTimes(segment: Segment): { start: number | null; end: number | null } {
  return segment.start === 0 && segment.end === 0 ? { start: null, end: null } : segment;
}

/** Who labelled what across the exported rows: per-annotator columns appear only with two or more. */
class TeamColumns {
  readonly names: string[];
  constructor(labels: readonly Label[][], clashes: ReadonlySet<string>, file: string) {
    this.names = [...new Set(labels.flat().map((l) => l.annotator))].sort();
    for (const name of this.names) {
      if (clashes.has(`label_${name}`)) {
        throw new SentiscopeError(
          'bad-request',
          `${file}: annotator "${name}" would give a column label_${name}, which the format already has; export with --annotator, or relabel under another name.`,
          file,
        );
      }
    }
  }
  get team(): boolean {
    return this.names.length > 1;
  }
  extras(labels: readonly Label[], provenance: Provenance, value: (label: Label) => string): Record<string, string> {
    if (!this.team) return {};
    const out: Record<string, string> = { n_annotators: String(labels.length) };
    for (const name of this.names) {
      const own = labels.find((l) => l.annotator === name);
      out[`label_${name}`] = own ? value(own) : '';
    }
    out.provenance = provenance;
    return out;
  }
}

interface Skipped {
  fewAnnotators: number;
  noMajority: string[];
}

function mosiRows(segments: LabelledSegment[], how: MosiAggregate, minAnnotators: number, file: string, skipped: Skipped): MosiRow[] {
  const columns = new TeamColumns(
    segments.map((s) => s.mosi),
    new Set<string>([...MOSI_LABEL_COLUMNS, ...MOSI_KNOWN_EXTRA_COLUMNS]),
    file,
  );
  const rows: MosiRow[] = [];
  for (const { media, segment, mosi, adjudicated } of segments) {
    const final = adjudicated.find((a) => a.scheme === 'mosi');
    // The adjudicator's decision is taken field by field; the fields left to the annotators stay aggregated.
    const label = final?.scheme === 'mosi' ? adjudicatedMosi(mosi, how, final.values) : aggregateMosi(mosi, how);
    // MMSA training code needs a label on every row: unlabelled segments are left out.
    if (!label) continue;
    if (mosi.length < minAnnotators) {
      skipped.fewAnnotators++;
      continue;
    }
    const notes = mosi.map((l) => l.notes).filter((n) => n !== '');
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
      annotator: mosi.map((l) => l.annotator).join(';'),
      // The column appears only when some segment is flagged.
      questionable: mosi.some((l) => l.questionable) ? true : null,
      notes: notes.length ? notes.join(' | ') : null,
      extras: columns.extras(mosi, label.provenance, (l) => formatScore((l as MosiLabel).values.score)),
    });
  }
  return rows;
}

function mvsaRows(segments: LabelledSegment[], outFile: string, minAnnotators: number, skipped: Skipped): MvsaRow[] {
  const columns = new TeamColumns(
    segments.map((s) => s.mvsa),
    new Set<string>([...MVSA_COLUMNS, 'split', 'annotators', 'n_annotators', 'provenance']),
    outFile,
  );
  const outFolder = dirname(outFile);
  const perMedia = new Map<number, number>();
  for (const { media } of segments) perMedia.set(media.id, (perMedia.get(media.id) ?? 0) + 1);
  const rows: MvsaRow[] = [];
  for (const { media, segment, mvsa, adjudicated } of segments) {
    const final = adjudicated.find((a) => a.scheme === 'mvsa');
    // A side the adjudicator decided replaces that side's majority only (label-aggregation.ts).
    const label = final?.scheme === 'mvsa' ? adjudicatedMvsa(mvsa, final.values) : aggregateMvsa(mvsa);
    if (!label) continue;
    if (mvsa.length < minAnnotators) {
      skipped.fewAnnotators++;
      continue;
    }
    // A post is one media item with one segment; more segments get their clip id appended.
    const id = perMedia.get(media.id)! > 1 ? `${media.name}_${segment.clipId}` : media.name;
    if (label.noMajority) {
      skipped.noMajority.push(id);
      continue;
    }
    rows.push({
      id,
      text: segment.text,
      image: media.path ? relative(outFolder, media.path).split(sep).join('/') : '',
      textLabel: label.text,
      imageLabel: label.image,
      // The sides, adjudicated or not, go through the pair rule in formatMvsaCsv.
      pairLabel: label.pair,
      split: segment.split,
      extras: columns.team
        ? {
            annotators: mvsa.map((l) => l.annotator).join(';'),
            ...columns.extras(mvsa, label.provenance, (l) => mvsaPairOf(l as MvsaLabel) ?? ''),
          }
        : {},
    });
  }
  return rows;
}

function segmentRows(segments: LabelledSegment[]): SegmentRow[] {
  return segments.map(({ media, segment, mosi }) => {
    const label = aggregateMosi(mosi, 'mean');
    return {
      media: media.name,
      clipId: segment.clipId,
      start: segment.start,
      end: segment.end,
      text: segment.text,
      source: segment.source,
      split: segment.split,
      label: label?.score ?? null,
      annotator: label ? mosi.map((l) => l.annotator).join(';') : null,
      extras: {},
    };
  });
}

/** Refuses an aggregate or minimum the format has no use for, before anything is written. */
function aggregationOf(request: ExportRequest, file: string): { how: MosiAggregate; minAnnotators: number } {
  const { format, aggregate, minAnnotators = 1 } = request;
  const refuse = (message: string) => new SentiscopeError('bad-request', `${file}: ${message}`, file);
  if (aggregate !== undefined || request.minAnnotators !== undefined) {
    if (format !== 'mosi' && format !== 'mvsa')
      throw refuse(`--aggregate and --min-annotators apply to --format mosi or mvsa, not ${format}.`);
  }
  if (format === 'mvsa' && (aggregate === 'mean' || aggregate === 'median')) {
    throw refuse(`MVSA labels are categories: they are aggregated by majority, not by ${aggregate}; leave --aggregate out.`);
  }
  if (!Number.isInteger(minAnnotators) || minAnnotators < 1)
    throw refuse(`--min-annotators must be a whole number >= 1 (got ${minAnnotators}).`);
  return { how: aggregate === 'median' ? 'median' : 'mean', minAnnotators };
}

export async function exportFromProject(store: ProjectStore, request: ExportRequest): Promise<ExportReport> {
  const file = resolve(request.path);
  const { how, minAnnotators } = aggregationOf(request, file);
  const segments = collect(store, request);
  const skipped: Skipped = { fewAnnotators: 0, noMajority: [] };
  let text: string;
  let rows: number;
  let skippedConflicts = 0;
  switch (request.format) {
    case 'mosi': {
      const mosi = mosiRows(segments, how, minAnnotators, file, skipped);
      text = formatMosiLabelCsv(mosi);
      rows = mosi.length;
      break;
    }
    case 'mvsa': {
      const result = formatMvsaCsv(mvsaRows(segments, file, minAnnotators, skipped));
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
    case 'trace':
      ({ text, rows } = exportTraceCsv(store, request.mediaIds, request.annotator));
      break;
    case 'eaf':
    case 'textgrid':
      ({ text, rows } = exportTierFile(store, request.format, file, request.mediaIds, request.annotator));
      break;
  }
  await writeTextFileAtomic(file, text);
  const report: ExportReport = { format: request.format, file, rows, skippedConflicts };
  if (skipped.fewAnnotators) report.skippedFewAnnotators = skipped.fewAnnotators;
  if (skipped.noMajority.length) report.noMajority = skipped.noMajority;
  return report;
}
