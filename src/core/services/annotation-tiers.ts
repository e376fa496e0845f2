// One media item's segments and human labels as tiers (src/shared/annotation-tiers.ts), the
// common ground of the ELAN and Praat exports. Predictions never go in.

import type { Media, MosiLabel, MvsaLabel, Segment } from '../../shared/domain';
import {
  MOSI_TIER_FIELDS,
  MVSA_TIER_FIELDS,
  TRANSCRIPT_TIER,
  labelTierName,
  type AnnotationTier,
  type LabelTierField,
} from '../../shared/annotation-tiers';
import { SentiscopeError } from '../../shared/errors';
import { formatScore } from '../../shared/schemes/mosi';
import { formatSeconds } from '../io/file-problems';
import type { ProjectStore } from '../store';

export interface MediaTiers {
  media: Media;
  tiers: AnnotationTier[];
  /** Where the annotated time ends: the media's duration, or the last segment's end. */
  end: number;
  segments: number;
}

function span(segment: Segment): string {
  return `${formatSeconds(segment.start)}–${formatSeconds(segment.end)} s`;
}

/** Tiers need real, disjoint spans: segments without times or overlapping ones are refused by name. */
function checkSpans(media: Media, segments: Segment[], file: string, format: string): void {
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
  for (let k = 1; k < segments.length; k++) {
    const [a, b] = [segments[k - 1], segments[k]];
    if (b.start < a.end) {
      throw new SentiscopeError(
        'bad-request',
        `${file}: segments ${a.clipId} (${span(a)}) and ${b.clipId} (${span(b)}) of '${media.name}' overlap; ` +
          `one ${format} tier cannot hold overlapping annotations. Trim one of them, then export again.`,
        file,
      );
    }
  }
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
 * each field some label of theirs fills; `annotator` keeps only that annotator's tiers.
 */
export function tiersOfMedia(store: ProjectStore, mediaId: number, file: string, format: string, annotator?: string): MediaTiers {
  const media = store.getMedia(mediaId);
  const segments = [...store.listSegments(mediaId)].sort((a, b) => a.start - b.start || a.end - b.end);
  if (!segments.length) {
    throw new SentiscopeError('bad-request', `${file}: '${media.name}' has no segments to export; add or import some first.`, file);
  }
  checkSpans(media, segments, file, format);
  const byId = new Map(segments.map((s) => [s.id, s]));
  const labels = store.listLabels(mediaId).filter((l) => !annotator || l.annotator === annotator);

  const tiers: AnnotationTier[] = [
    {
      name: TRANSCRIPT_TIER,
      role: { kind: 'transcript' },
      annotations: segments.map((s) => ({ start: s.start, end: s.end, value: s.text })),
    },
  ];
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
            : { start: segment.start, end: segment.end, value: typeof value === 'number' ? formatScore(value) : value };
        })
        .filter((a) => a !== null)
        .sort((a, b) => a.start - b.start);
      if (annotations.length)
        tiers.push({ name: labelTierName(who, field), role: { kind: 'label', annotator: who, scheme, field }, annotations });
    }
  }
  const lastEnd = segments[segments.length - 1].end;
  return { media, tiers, end: Math.max(media.probe?.duration ?? 0, lastEnd), segments: segments.length };
}
