// A media item's segments and human labels as time-aligned tiers, the shape ELAN (.eaf) and
// Praat (.TextGrid) files hold. One `transcript` tier carries every segment's span and text;
// each annotator gets one tier per labelled field, named "<annotator> <field>" (`ann_a score`,
// `ann_a text_label`), whose annotations sit on the segments' spans. Field names hold no
// space, so a tier name splits at its last space even when an annotator's name has spaces.
// One tier holds no overlapping annotations (neither ELAN nor Praat allow it), so segments
// that overlap go on further lanes: `transcript 2`, `ann_a score 2`, ... (lane 1 has no number).

import type { LabelScheme } from './domain';

export const TRANSCRIPT_TIER = 'transcript';

/** MOSI: overall and per-modality scores in [-3, 3]. */
export const MOSI_TIER_FIELDS = ['score', 'text', 'audio', 'visual'] as const;
/** MVSA: text and image polarity, and the pair label when it was given directly. */
export const MVSA_TIER_FIELDS = ['text_label', 'image_label', 'label'] as const;

export type MosiTierField = (typeof MOSI_TIER_FIELDS)[number];
export type MvsaTierField = (typeof MVSA_TIER_FIELDS)[number];
export type LabelTierField = MosiTierField | MvsaTierField;

export interface TimedValue {
  /** Seconds. */
  start: number;
  end: number;
  value: string;
}

export type TierRole =
  { kind: 'transcript'; lane: number } | { kind: 'label'; annotator: string; scheme: LabelScheme; field: LabelTierField; lane: number };

/** A live-mode rating trace: runs of equal values on the 10 Hz grid (one tier per annotator, no lanes). */
export type TraceTierRole = { kind: 'trace'; annotator: string };

export interface AnnotationTier {
  name: string;
  role: TierRole | TraceTierRole;
  annotations: TimedValue[];
}

/** A tier as a reader found it in a file, with the lines a refusal names. */
export interface ReadTier {
  name: string;
  line: number;
  annotations: (TimedValue & { line: number })[];
}

function withLane(name: string, lane: number): string {
  return lane > 1 ? `${name} ${lane}` : name;
}

export function transcriptTierName(lane = 1): string {
  return withLane(TRANSCRIPT_TIER, lane);
}

export function labelTierName(annotator: string, field: LabelTierField, lane = 1): string {
  return withLane(`${annotator} ${field}`, lane);
}

export const TRACE_TIER_FIELD = 'trace';

export function traceTierName(annotator: string): string {
  return `${annotator} ${TRACE_TIER_FIELD}`;
}

/** What a tier name means here; null for a tier this format does not know (reported and skipped). */
export function tierRoleOf(tierName: string): TierRole | TraceTierRole | null {
  const laned = /^(.*\S) ([2-9]|[1-9]\d+)$/.exec(tierName);
  const name = laned ? laned[1] : tierName;
  const lane = laned ? Number(laned[2]) : 1;
  if (name === TRANSCRIPT_TIER) return { kind: 'transcript', lane };
  const cut = name.lastIndexOf(' ');
  if (cut <= 0) return null;
  const annotator = name.slice(0, cut).trim();
  const field = name.slice(cut + 1);
  if (annotator === '') return null;
  // A trace is one tier per annotator: "ann_a trace 2" is no tier of ours.
  if (field === TRACE_TIER_FIELD) return laned ? null : { kind: 'trace', annotator };
  if ((MOSI_TIER_FIELDS as readonly string[]).includes(field))
    return { kind: 'label', annotator, scheme: 'mosi', field: field as MosiTierField, lane };
  if ((MVSA_TIER_FIELDS as readonly string[]).includes(field))
    return { kind: 'label', annotator, scheme: 'mvsa', field: field as MvsaTierField, lane };
  return null;
}
