// A media item's segments and human labels as time-aligned tiers, the shape ELAN (.eaf) and
// Praat (.TextGrid) files hold. One `transcript` tier carries every segment's span and text;
// each annotator gets one tier per labelled field, named "<annotator> <field>" (`ann_a score`,
// `ann_a text_label`), whose annotations sit on the segments' spans. Field names hold no
// space, so a tier name splits at its last space even when an annotator's name has spaces.

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

export type TierRole = { kind: 'transcript' } | { kind: 'label'; annotator: string; scheme: LabelScheme; field: LabelTierField };

export interface AnnotationTier {
  name: string;
  role: TierRole;
  annotations: TimedValue[];
}

/** A tier as a reader found it in a file, with the lines a refusal names. */
export interface ReadTier {
  name: string;
  line: number;
  annotations: (TimedValue & { line: number })[];
}

export function labelTierName(annotator: string, field: LabelTierField): string {
  return `${annotator} ${field}`;
}

/** What a tier name means here; null for a tier this format does not know (reported and skipped). */
export function tierRoleOf(name: string): TierRole | null {
  if (name === TRANSCRIPT_TIER) return { kind: 'transcript' };
  const cut = name.lastIndexOf(' ');
  if (cut <= 0) return null;
  const annotator = name.slice(0, cut).trim();
  const field = name.slice(cut + 1);
  if (annotator === '') return null;
  if ((MOSI_TIER_FIELDS as readonly string[]).includes(field))
    return { kind: 'label', annotator, scheme: 'mosi', field: field as MosiTierField };
  if ((MVSA_TIER_FIELDS as readonly string[]).includes(field))
    return { kind: 'label', annotator, scheme: 'mvsa', field: field as MvsaTierField };
  return null;
}
