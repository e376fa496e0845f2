// One media item's segments and human labels as tiers (src/shared/annotation-tiers.ts), the
// common ground of the ELAN and Praat exports. Predictions never go in.

import type { Media, MosiLabel, MvsaLabel, Segment } from '../../shared/domain';
import {
  MOSI_TIER_FIELDS,
  MVSA_TIER_FIELDS,
  labelTierName,
  transcriptTierName,
  type AnnotationTier,
  type LabelTierField,
} from '../../shared/annotation-tiers';
import { SentiscopeError } from '../../shared/errors';
import { formatScore } from '../../shared/schemes/mosi';
import type { ProjectStore } from '../store';

export interface MediaTiers {
  media: Media;
  tiers: AnnotationTier[];
  /** Where the annotated time ends: the media's duration, or the last segment's end. */
  end: number;
  segments: number;
}

/** Tiers need real spans: segments without times are refused by name. */
function checkTimed(media: Media, segments: Segment[], file: string, format: string): void {
  const untimed = segments.filter((s) => !(s.end > s.start));
  if (untimed.length) {
    throw new SentiscopeError(
      'bad-request',
      `${file}: ${untimed.length} segment(s) of '${media.name}' have no time span (clip ${untimed
        .slice(0, 5)
        .map((s) => s.clipId)
        .join(', ')}); a ${format} tier needs start < end. Give them times in the workspace, then export again.`,
      file,
    );
  }
}

/** Lane of each segment (1, 2, ...): the first lane free at its start, so no lane overlaps itself. */
function lanesOf(sorted: Segment[]): Map<number, number> {
  const laneEnds: number[] = [];
  const lanes = new Map<number, number>();
  for (const segment of sorted) {
    let lane = laneEnds.findIndex((end) => end <= segment.start);
    if (lane < 0) lane = laneEnds.push(0) - 1;
    laneEnds[lane] = segment.end;
    lanes.set(segment.id, lane + 1);
  }
  return lanes;
}

function byLane<T extends { lane: number }>(items: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) out.set(item.lane, [...(out.get(item.lane) ?? []), item]);
  return new Map([...out].sort((x, y) => x[0] - y[0]));
}

function mosiValue(label: MosiLabel, field: LabelTierField): number | null {
  return field === 'score' ? label.values.score : (label.values[field as 'text' | 'audio' | 'visual'] ?? null);
}

function mvsaValue(label: MvsaLabel, field: LabelTierField): string | null {
  const key = field === 'text_label' ? 'text' : field === 'image_label' ? 'image' : 'pair';
  return label.values[key];
}

/**
 * The transcript tier (every segment, text possibly empty) and, per annotator, one tier for
 * each field some label of theirs fills, each on as many lanes as overlapping segments need;
 * `annotator` keeps only that annotator's tiers.
 */
export function tiersOfMedia(
  store: ProjectStore,
  mediaId: number,
  file: string,
  format: string,
  annotator?: string,
  options: { allowNoSegments?: boolean } = {},
): MediaTiers {
  const media = store.getMedia(mediaId);
  const segments = [...store.listSegments(mediaId)].sort((a, b) => a.start - b.start || a.end - b.end);
  if (!segments.length && !options.allowNoSegments) {
    throw new SentiscopeError('bad-request', `${file}: '${media.name}' has no segments to export; add or import some first.`, file);
  }
  checkTimed(media, segments, file, format);
  const byId = new Map(segments.map((s) => [s.id, s]));
  const lanes = lanesOf(segments);
  const labels = store.listLabels(mediaId).filter((l) => !annotator || l.annotator === annotator);

  const tiers: AnnotationTier[] = [];
  for (const [lane, own] of byLane(segments.map((s) => ({ ...s, lane: lanes.get(s.id)! })))) {
    const annotations = own.map((s) => ({ start: s.start, end: s.end, value: s.text }));
    tiers.push({ name: transcriptTierName(lane), role: { kind: 'transcript', lane }, annotations });
  }
  const annotators = [...new Set(labels.map((l) => l.annotator))].sort();
  for (const who of annotators) {
    const own = labels.filter((l) => l.annotator === who);
    const fields: { scheme: 'mosi' | 'mvsa'; field: LabelTierField }[] = [
      ...MOSI_TIER_FIELDS.map((field) => ({ scheme: 'mosi' as const, field })),
      ...MVSA_TIER_FIELDS.map((field) => ({ scheme: 'mvsa' as const, field })),
    ];
    for (const { scheme, field } of fields) {
      const annotations = own
        .filter((l) => l.scheme === scheme)
        .map((l) => {
          const value = l.scheme === 'mosi' ? mosiValue(l, field) : mvsaValue(l, field);
          const segment = byId.get(l.segmentId)!;
          return value === null
            ? null
            : {
                start: segment.start,
                end: segment.end,
                value: typeof value === 'number' ? formatScore(value) : value,
                lane: lanes.get(segment.id)!,
              };
        })
        .filter((a) => a !== null)
        .sort((a, b) => a.start - b.start);
      for (const [lane, onLane] of byLane(annotations)) {
        tiers.push({
          name: labelTierName(who, field, lane),
          role: { kind: 'label', annotator: who, scheme, field, lane },
          annotations: onLane.map(({ start, end, value }) => ({ start, end, value })),
        });
      }
    }
  }
  const lastEnd = Math.max(0, ...segments.map((s) => s.end));
  return { media, tiers, end: Math.max(media.probe?.duration ?? 0, lastEnd), segments: segments.length };
}
