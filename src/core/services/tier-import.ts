// Tiers read from an ELAN or Praat file -> one media item's segments, per-annotator labels
// and rating traces. The `transcript` tier gives segments and their text; "<annotator> <field>"
// tiers give labels on those spans (a labelled span the transcript lacks becomes a segment
// without text); "<annotator> trace" tiers give that annotator's trace samples. Any other tier
// is reported and skipped. Everything is checked first (overlaps on one tier, values, a
// per-modality score without the overall one); then the media and every segment, label and
// trace sample are written in ONE transaction, so nothing is half-imported.

import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tierRoleOf, type LabelTierField, type ReadTier } from '../../shared/annotation-tiers';
import type { ImportReport } from '../../shared/contract';
import type { Media, MosiLabelValues, MvsaLabelValues, Polarity } from '../../shared/domain';
import { contiguousStretches, type TraceSample } from '../../shared/trace';
import { isValidScore } from '../../shared/schemes/mosi';
import { parsePolarity } from '../../shared/schemes/mvsa';
import { sameSegment } from '../../shared/segment-overlap';
import { parseEaf } from '../io/eaf';
import { FileProblems, formatSeconds, parseNumberCell } from '../io/file-problems';
import { readTextFile } from '../io/text-file';
import { parseTextGrid } from '../io/textgrid';
import { inspectMediaFile, storeMediaFile, type InspectedMediaFile, type ProjectStore } from '../store';
import { samplesOfTraceAnnotation } from './trace-tiers';

export type TierFileFormat = 'eaf' | 'textgrid';

/** What a tier file says about its media, beyond its tiers. */
export interface TierFileMedia {
  /** The Sentiscope media name it was exported from. */
  name: string | null;
  /** Candidate media files, absolute. */
  paths: string[];
}

export interface TierImportRequest {
  format: TierFileFormat;
  file: string;
  tiers: ReadTier[];
  media: TierFileMedia;
  /** The media to attach to (the CLI's --media); else found from the file. */
  mediaId?: number;
  /** Only this annotator's label tiers. */
  annotator?: string;
  /** Tiers the reader already set aside (Praat point tiers). */
  skippedTiers?: string[];
}

interface SpanEntry {
  start: number;
  end: number;
  text: string | null;
  mosi: Map<string, Partial<Record<LabelTierField, number>>>;
  mvsa: Map<string, Partial<Record<LabelTierField, Polarity>>>;
  line: number;
}

const ms = (seconds: number) => Math.round(seconds * 1000);
const spanText = (a: { start: number; end: number }) => `${formatSeconds(a.start)}–${formatSeconds(a.end)} s`;

/** The media paths an ELAN descriptor names: relative to the .eaf first, then absolute. */
export function eafMediaPaths(file: string, descriptors: { url: string; relativeUrl: string | null }[]): string[] {
  const paths: string[] = [];
  for (const { url, relativeUrl } of descriptors) {
    try {
      if (relativeUrl && !relativeUrl.startsWith('file:')) paths.push(resolve(dirname(file), decodeURI(relativeUrl)));
    } catch {
      // A malformed %-escape: the absolute URL may still do.
    }
    try {
      if (url.startsWith('file:')) paths.push(fileURLToPath(url));
    } catch {
      // A file: URL of another machine (file://host/...): only the relative path can help.
    }
  }
  return paths;
}

/** The media a TextGrid goes with sits beside it under the same name, as Praat users keep them. */
const PRAAT_MEDIA_EXTENSIONS = ['.wav', '.mp4', '.mov', '.mkv', '.webm', '.mp3', '.m4a', '.flac', '.ogg', '.opus', '.aiff'];

/** Reads and parses a tier file whole; a bad one is refused before anything is written. */
export async function readTierFile(
  format: TierFileFormat,
  file: string,
): Promise<{ tiers: ReadTier[]; media: TierFileMedia; skippedTiers: string[] }> {
  const text = await readTextFile(file);
  if (format === 'textgrid') {
    const grid = parseTextGrid(text, file);
    const name = basename(file, extname(file));
    const paths = PRAAT_MEDIA_EXTENSIONS.map((extension) => join(dirname(file), name + extension));
    return { tiers: grid.tiers, media: { name, paths }, skippedTiers: grid.pointTiers };
  }
  const eaf = parseEaf(text, file);
  return { tiers: eaf.tiers, media: { name: eaf.mediaName, paths: eafMediaPaths(file, eaf.media) }, skippedTiers: [] };
}

interface CollectedTiers {
  spans: SpanEntry[];
  /** Per annotator, the trace samples in time order. */
  traces: Map<string, TraceSample[]>;
  skipped: string[];
}

function collectSpans(request: TierImportRequest, problems: FileProblems): CollectedTiers {
  // Keyed by span and lane: two segments on the very same span sit on two lanes.
  const spans = new Map<string, SpanEntry>();
  const skipped: string[] = [];
  const traces = new Map<string, TraceSample[]>();
  const seenNames = new Map<string, number>();
  const entry = (a: { start: number; end: number; line: number }, lane: number, transcript: boolean) => {
    const span = `${ms(a.start)}:${ms(a.end)}`;
    let found = spans.get(`${span}:${lane}`);
    // A label on a lane the transcript does not use still belongs to a segment with its span.
    if (!found && !transcript) found = [...spans].find(([key]) => key.startsWith(`${span}:`))?.[1];
    if (!found) {
      found = { start: ms(a.start) / 1000, end: ms(a.end) / 1000, text: null, mosi: new Map(), mvsa: new Map(), line: a.line };
      spans.set(`${span}:${lane}`, found);
    }
    return found;
  };
  // Transcript tiers first, so labels find the segments they sit on.
  const tiers = [...request.tiers].sort(
    (x, y) => Number(tierRoleOf(y.name)?.kind === 'transcript') - Number(tierRoleOf(x.name)?.kind === 'transcript'),
  );

  for (const tier of tiers) {
    const role = tierRoleOf(tier.name);
    if (!role || (role.kind !== 'transcript' && request.annotator && role.annotator !== request.annotator)) {
      skipped.push(tier.name);
      continue;
    }
    if (seenNames.has(tier.name)) {
      problems.add(tier.line, `tier "${tier.name}" appears twice (first on line ${seenNames.get(tier.name)})`);
      continue;
    }
    seenNames.set(tier.name, tier.line);
    // Praat tiers tile the file with empty intervals; ELAN users leave blank annotations too.
    const annotations = tier.annotations
      .filter((a) => role.kind === 'transcript' || a.value.trim() !== '')
      .sort((a, b) => a.start - b.start);
    for (let k = 0; k < annotations.length; k++) {
      const a = annotations[k];
      if (!(ms(a.end) > ms(a.start))) {
        problems.add(a.line, `tier "${tier.name}": the annotation at ${spanText(a)} has no length (its end is not after its start)`);
        continue;
      }
      const before = annotations[k - 1];
      if (before && ms(a.start) < ms(before.end)) {
        problems.add(
          a.line,
          `tier "${tier.name}": annotations overlap: ${spanText(before)} and ${spanText(a)}; one tier holds one annotation at a time`,
        );
        continue;
      }
      if (role.kind === 'transcript') {
        if (a.value.trim() === '' && request.format === 'textgrid') continue;
        entry(a, role.lane, true).text = a.value;
        continue;
      }
      const value = a.value.trim();
      const where = `tier "${tier.name}" at ${spanText(a)}`;
      if (role.kind === 'trace') {
        // One tier per annotator (a second is refused above), annotations in time order.
        traces.set(role.annotator, [...(traces.get(role.annotator) ?? []), ...samplesOfTraceAnnotation(a, where, problems)]);
        continue;
      }
      if (role.scheme === 'mosi') {
        const score = parseNumberCell(value);
        if (score === undefined || !isValidScore(score)) {
          problems.add(a.line, `${where}: "${value}" is not a score in [-3, 3]`);
          continue;
        }
        const own = entry(a, role.lane, false).mosi;
        own.set(role.annotator, { ...own.get(role.annotator), [role.field]: score });
      } else {
        const polarity = parsePolarity(value);
        if (!polarity) {
          problems.add(a.line, `${where}: "${value}" is not negative, neutral or positive`);
          continue;
        }
        const own = entry(a, role.lane, false).mvsa;
        own.set(role.annotator, { ...own.get(role.annotator), [role.field]: polarity });
      }
    }
  }
  for (const span of spans.values()) {
    for (const [who, fields] of span.mosi) {
      if (fields.score === undefined) {
        problems.add(
          span.line,
          `"${who}" has per-modality scores at ${spanText(span)} but no "${who} score" there; the overall score is required`,
        );
      }
    }
  }
  return { spans: [...spans.values()].sort((a, b) => a.start - b.start || a.end - b.end), traces, skipped };
}

/** An existing media item, a file the tier file names (probed now, stored in the transaction), or a name. */
async function mediaSource(store: ProjectStore, request: TierImportRequest): Promise<Media | InspectedMediaFile | string> {
  if (request.mediaId !== undefined) return store.getMedia(request.mediaId);
  const named = request.media.name ? store.findMediaByName(request.media.name) : null;
  if (named) return named;
  for (const path of request.media.paths) {
    const known = store.findMediaByPath(path);
    if (known) return known;
    if (existsSync(path)) return inspectMediaFile(path);
  }
  const fromPath = request.media.paths[0];
  return request.media.name ?? (fromPath ? basename(fromPath, extname(fromPath)) : basename(request.file, extname(request.file)));
}

export async function importTierFile(store: ProjectStore, request: TierImportRequest): Promise<ImportReport> {
  const problems = new FileProblems(
    request.file,
    'bad-file',
    `Nothing was imported; fix these annotations in ${request.format === 'eaf' ? 'ELAN' : 'Praat'} and import the file again.`,
  );
  const { spans, traces, skipped } = collectSpans(request, problems);
  problems.throwIfAny();
  const source = await mediaSource(store, request);

  const report: ImportReport = {
    format: request.format,
    file: request.file,
    mediaCreated: 0,
    segments: 0,
    labels: 0,
    traces: 0,
    traceSamples: 0,
    skippedTiers: [...skipped, ...(request.skippedTiers ?? [])],
  };
  store.transaction(() => {
    let media: Media;
    if (typeof source === 'string') {
      const found = store.findMediaByName(source);
      media = found ?? store.addMedia({ name: source });
      if (!found) report.mediaCreated++;
    } else if ('id' in source) media = source;
    else {
      const before = store.findMediaByPath(source.path) ?? store.findMediaByName(source.name);
      media = storeMediaFile(store, source);
      if (!before) report.mediaCreated++;
    }
    // Segments the media had before: each matched by one span at most, the same span (to the
    // ms) first, else by the IoU >= 0.9 rule other imports use. Spans of this file never merge.
    const prior = store.listSegments(media.id);
    const claimed = new Set<number>();
    for (const span of spans) {
      const open = prior.filter((s) => !claimed.has(s.id));
      const same = open.find((s) => ms(s.start) === ms(span.start) && ms(s.end) === ms(span.end)) ?? sameSegment(span, open);
      if (same) claimed.add(same.id);
      const text = span.text ?? undefined;
      const segment = same
        ? text === undefined
          ? same
          : store.updateSegment(same.id, { text })
        : store.createSegment({ mediaId: media.id, start: span.start, end: span.end, source: 'import', text: text ?? '' });
      report.segments++;
      for (const [annotator, f] of span.mosi) {
        const values: MosiLabelValues = { score: f.score!, text: f.text ?? null, audio: f.audio ?? null, visual: f.visual ?? null };
        store.setMosiLabel({ segmentId: segment.id, annotator, values });
        report.labels++;
      }
      for (const [annotator, f] of span.mvsa) {
        const values: MvsaLabelValues = { text: f.text_label ?? null, image: f.image_label ?? null, pair: f.label ?? null };
        store.setMvsaLabel({ segmentId: segment.id, annotator, values });
        report.labels++;
      }
    }
    // A trace's samples replace the annotator's samples at the same ticks, as a take does;
    // ticks the file leaves out keep what the project had there.
    for (const [annotator, samples] of traces) {
      if (!samples.length) continue;
      for (const stretch of contiguousStretches(samples)) {
        store.replaceTrace({ mediaId: media.id, annotator, start: stretch[0].time, end: stretch.at(-1)!.time, samples: stretch });
      }
      report.traces!++;
      report.traceSamples! += samples.length;
    }
  });
  return report;
}
