// The agreement report of a set of labelled items: per field (MOSI score, its sign,
// per-modality scores; MVSA text, image, pair), the statistics, their bootstrap
// intervals, annotator pairs, and the same per media item. Pure: the store is read
// elsewhere (src/core/services/agreement.ts).

import { alphaInterval, alphaNominal } from './krippendorff';
import { icc2 } from './icc';
import { cohenKappa, fleissKappa } from './kappa';
import { bootstrapIntervals, type BootstrapOptions } from './bootstrap';
import { columns, completeItems, pairableCount, presentValues, type RatingTable } from './ratings';
import { readStatistic, type StatisticName } from './readings';

export type FieldKind = 'interval' | 'nominal';

/** One item (a segment) and what each annotator gave it, per field. */
export interface AgreementItem {
  media: string;
  clipId: string;
  segmentId: number;
  /** annotator -> field -> value (absent or null: not rated). */
  ratings: Map<string, Record<string, number | string | null>>;
}

export interface FieldSpec {
  name: string;
  kind: FieldKind;
}

export interface PairAgreement {
  a: string;
  b: string;
  n_items: number;
  alpha_interval?: number | null;
  alpha_nominal?: number | null;
  cohen_kappa?: number | null;
  /** Interval fields: mean |a - b| over the items both rated. */
  mean_abs_diff?: number | null;
}

export interface FieldAgreement {
  n_items: number;
  n_complete: number;
  /** Items at least two annotators rated. */
  n_pairable: number;
  alpha_interval?: number | null;
  icc2_1?: number | null;
  icc2_k?: number | null;
  alpha_nominal?: number | null;
  fleiss_kappa?: number | null;
  cohen_kappa?: number | null;
  ci95?: Partial<Record<StatisticName, [number, number] | null>>;
  reading?: Partial<Record<StatisticName, string>>;
  pairwise?: PairAgreement[];
  /** Per-item disagreement (interval: max - min; nominal: share not in the modal label). */
  disagreement?: { edges: number[]; counts: number[] };
}

export interface AgreementReport {
  scheme: string;
  annotators: string[];
  n_annotators: number;
  bootstrap: BootstrapOptions;
  fields: Record<string, FieldAgreement>;
  per_media: Record<string, Record<string, FieldAgreement>>;
}

function table(items: readonly AgreementItem[], annotators: readonly string[], field: string): RatingTable<number | string> {
  return items.map((item) => annotators.map((a) => item.ratings.get(a)?.[field] ?? null));
}

type Stat = (t: RatingTable<number | string>) => number | null;

function statisticsOf(kind: FieldKind, k: number): Partial<Record<StatisticName, Stat>> {
  if (kind === 'interval') {
    return {
      alpha_interval: (t) => alphaInterval(t as RatingTable<number>),
      icc2_1: (t) => icc2(completeItems(t) as number[][]).icc2_1,
      icc2_k: (t) => icc2(completeItems(t) as number[][]).icc2_k,
    };
  }
  const stats: Partial<Record<StatisticName, Stat>> = {
    alpha_nominal: (t) => alphaNominal(t),
    fleiss_kappa: (t) => fleissKappa(completeItems(t)),
  };
  if (k === 2) stats.cohen_kappa = (t) => cohenKappa(completeItems(t));
  return stats;
}

/** How far apart one item's ratings are. */
export function itemSpread(values: readonly (number | string)[], kind: FieldKind): number {
  if (values.length < 2) return 0;
  if (kind === 'interval') {
    const nums = values as number[];
    return Math.max(...nums) - Math.min(...nums);
  }
  const counts = new Map<number | string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return 1 - Math.max(...counts.values()) / values.length;
}

function histogram(spreads: readonly number[], kind: FieldKind): { edges: number[]; counts: number[] } {
  // Interval scores span at most 6 (-3..3): bins of 0.5; nominal shares: bins of 0.1.
  const width = kind === 'interval' ? 0.5 : 0.1;
  const bins = kind === 'interval' ? 12 : 10;
  const edges = Array.from({ length: bins + 1 }, (_v, i) => Math.round(i * width * 10) / 10);
  const counts = new Array<number>(bins).fill(0);
  for (const s of spreads) counts[Math.min(bins - 1, Math.floor(s / width + 1e-9))]++;
  return { edges, counts };
}

function pairwise(t: RatingTable<number | string>, annotators: readonly string[], kind: FieldKind): PairAgreement[] {
  const out: PairAgreement[] = [];
  for (let i = 0; i < annotators.length; i++) {
    for (let j = i + 1; j < annotators.length; j++) {
      const both = completeItems(columns(t, [i, j]));
      const pair: PairAgreement = { a: annotators[i], b: annotators[j], n_items: both.length };
      if (kind === 'interval') {
        pair.alpha_interval = alphaInterval(both as number[][]);
        pair.mean_abs_diff = both.length ? both.reduce((s, [x, y]) => s + Math.abs((x as number) - (y as number)), 0) / both.length : null;
      } else {
        pair.alpha_nominal = alphaNominal(both);
        pair.cohen_kappa = cohenKappa(both);
      }
      out.push(pair);
    }
  }
  return out;
}

function fieldAgreement(
  items: readonly AgreementItem[],
  annotators: readonly string[],
  spec: FieldSpec,
  bootstrap: BootstrapOptions | null,
): FieldAgreement | null {
  const rated = table(items, annotators, spec.name).filter((row) => presentValues(row).length > 0);
  if (rated.length === 0) return null;
  const stats = statisticsOf(spec.kind, annotators.length);
  const result: FieldAgreement = {
    n_items: rated.length,
    n_complete: completeItems(rated).length,
    n_pairable: pairableCount(rated),
  };
  const reading: Partial<Record<StatisticName, string>> = {};
  for (const [name, stat] of Object.entries(stats) as [StatisticName, Stat][]) {
    const value = stat(rated);
    result[name] = value;
    reading[name] = readStatistic(name, value);
  }
  if (bootstrap) {
    result.ci95 = bootstrapIntervals(rated, stats as Record<string, Stat>, bootstrap);
    result.reading = reading;
    result.pairwise = pairwise(rated, annotators, spec.kind);
    result.disagreement = histogram(
      rated.map((row) => itemSpread(presentValues(row), spec.kind)),
      spec.kind,
    );
  }
  return result;
}

function allFields(
  items: readonly AgreementItem[],
  annotators: readonly string[],
  specs: readonly FieldSpec[],
  bootstrap: BootstrapOptions | null,
): Record<string, FieldAgreement> {
  const out: Record<string, FieldAgreement> = {};
  for (const spec of specs) {
    const field = fieldAgreement(items, annotators, spec, bootstrap);
    if (field) out[spec.name] = field;
  }
  return out;
}

export function agreementReport(
  scheme: string,
  items: readonly AgreementItem[],
  specs: readonly FieldSpec[],
  bootstrap: BootstrapOptions,
): AgreementReport {
  const annotators = [...new Set(items.flatMap((item) => [...item.ratings.keys()]))].sort();
  const byMedia = new Map<string, AgreementItem[]>();
  for (const item of items) byMedia.set(item.media, [...(byMedia.get(item.media) ?? []), item]);
  const perMedia: Record<string, Record<string, FieldAgreement>> = {};
  for (const [media, own] of byMedia) perMedia[media] = allFields(own, annotators, specs, null);
  return {
    scheme,
    annotators,
    n_annotators: annotators.length,
    bootstrap,
    fields: allFields(items, annotators, specs, bootstrap),
    per_media: perMedia,
  };
}
