// Several annotators' labels on one segment brought to the one label a dataset keeps,
// as the published corpora do: CMU-MOSI the mean score (or, asked for, the median);
// MVSA-Multiple per side the label at least two annotators agree on, then the pair rule.

import type { MosiLabel, MosiLabelValues, MvsaLabel, MvsaLabelValues, Polarity } from './domain';
import { mergeMvsa } from './schemes/mvsa';

export type MosiAggregate = 'mean' | 'median';

/** How a row's label came about: one annotator, all alike, combined, or an adjudicator's. */
export type Provenance = 'single' | 'unanimous' | 'aggregated' | 'adjudicated';

function present(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null);
}

export function meanOf(values: readonly (number | null)[]): number | null {
  const xs = present(values);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
}

export function medianOf(values: readonly (number | null)[]): number | null {
  const xs = present(values).sort((a, b) => a - b);
  if (!xs.length) return null;
  const mid = xs.length >> 1;
  return xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

export interface AggregatedMosi {
  score: number;
  text: number | null;
  audio: number | null;
  visual: number | null;
  provenance: Provenance;
}

export function aggregateMosi(labels: readonly MosiLabel[], how: MosiAggregate): AggregatedMosi | null {
  if (!labels.length) return null;
  const of = how === 'mean' ? meanOf : medianOf;
  const scores = labels.map((l) => l.values.score);
  return {
    score: of(scores)!,
    text: of(labels.map((l) => l.values.text)),
    audio: of(labels.map((l) => l.values.audio)),
    visual: of(labels.map((l) => l.values.visual)),
    provenance: labels.length === 1 ? 'single' : scores.every((s) => s === scores[0]) ? 'unanimous' : 'aggregated',
  };
}

/**
 * The label at least two annotators gave and more gave than any other; null when there is
 * none (all differ, or a tie). Annotators who left the side empty are not counted.
 */
export function majorityOf(values: readonly (Polarity | null)[]): Polarity | null {
  const counts = new Map<Polarity, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  if (!ranked.length || ranked[0][1] < 2) return null;
  if (ranked.length > 1 && ranked[1][1] === ranked[0][1]) return null;
  return ranked[0][0];
}

export interface AggregatedMvsa {
  text: Polarity | null;
  image: Polarity | null;
  /** The pair label a post is exported with; null with `conflict` or `noMajority`. */
  pair: Polarity | null;
  /** Majority text and image are positive against negative. */
  conflict: boolean;
  /** Some labelled side (or, for pair-only labels, the pair) has no majority: no label, flagged. */
  noMajority: boolean;
  provenance: Provenance;
}

/** One annotator's pair label: the merge of their sides, or the pair they gave alone. */
export function mvsaPairOf(label: MvsaLabel): Polarity | null {
  const { text, image, pair } = label.values;
  if (text === null && image === null) return pair;
  return mergeMvsa(text, image).label;
}

export function aggregateMvsa(labels: readonly MvsaLabel[]): AggregatedMvsa | null {
  if (!labels.length) return null;
  const key = (l: MvsaLabel) => `${l.values.text}/${l.values.image}/${l.values.pair}`;
  const unanimous = labels.every((l) => key(l) === key(labels[0]));
  if (unanimous) {
    // One annotator, or all alike: their own label stands (the majority rule needs two voices).
    const { text, image, pair } = labels[0].values;
    const merged = text === null && image === null ? { label: pair, conflict: false } : mergeMvsa(text, image);
    return {
      text,
      image,
      pair: merged.label,
      conflict: merged.conflict,
      noMajority: false,
      provenance: labels.length === 1 ? 'single' : 'unanimous',
    };
  }
  const texts = labels.map((l) => l.values.text);
  const images = labels.map((l) => l.values.image);
  const sided = texts.some((v) => v !== null) || images.some((v) => v !== null);
  if (!sided) {
    const pair = majorityOf(labels.map((l) => l.values.pair));
    return { text: null, image: null, pair, conflict: false, noMajority: pair === null, provenance: 'aggregated' };
  }
  const text = majorityOf(texts);
  const image = majorityOf(images);
  const noMajority = (text === null && texts.some((v) => v !== null)) || (image === null && images.some((v) => v !== null));
  if (noMajority) return { text, image, pair: null, conflict: false, noMajority, provenance: 'aggregated' };
  const merged = mergeMvsa(text, image);
  return { text, image, pair: merged.label, conflict: merged.conflict, noMajority: false, provenance: 'aggregated' };
}

/**
 * The adjudicator's decision taken field by field: each MOSI score the adjudicator set
 * replaces the aggregate of that field, and the others stay aggregated.
 */
export function adjudicatedMosi(labels: readonly MosiLabel[], how: MosiAggregate, final: MosiLabelValues): AggregatedMosi {
  const rest = aggregateMosi(labels, how);
  return {
    score: final.score,
    text: final.text ?? rest?.text ?? null,
    audio: final.audio ?? rest?.audio ?? null,
    visual: final.visual ?? rest?.visual ?? null,
    provenance: 'adjudicated',
  };
}

/**
 * The adjudicator's decision taken side by side: a side the adjudicator decided replaces
 * the annotators' majority on that side only; an undecided side keeps the majority (and,
 * without one, the post stays flagged). Then the pair rule, as for annotators.
 */
export function adjudicatedMvsa(labels: readonly MvsaLabel[], final: MvsaLabelValues): AggregatedMvsa {
  const rest = aggregateMvsa(labels);
  const decided = final.text !== null || final.image !== null || final.pair !== null;
  const provenance: Provenance = decided ? 'adjudicated' : (rest?.provenance ?? 'adjudicated');
  const texts = labels.map((l) => l.values.text);
  const images = labels.map((l) => l.values.image);
  const text = final.text ?? rest?.text ?? null;
  const image = final.image ?? rest?.image ?? null;
  if (text === null && image === null && !texts.some((v) => v !== null) && !images.some((v) => v !== null)) {
    // Pair-only labels: the adjudicator's pair, else the annotators' majority.
    const pair = final.pair ?? rest?.pair ?? null;
    return { text: null, image: null, pair, conflict: false, noMajority: pair === null, provenance };
  }
  const noMajority = (text === null && texts.some((v) => v !== null)) || (image === null && images.some((v) => v !== null));
  if (noMajority) return { text, image, pair: null, conflict: false, noMajority, provenance };
  const merged = mergeMvsa(text, image);
  return { text, image, pair: merged.label, conflict: merged.conflict, noMajority: false, provenance };
}
