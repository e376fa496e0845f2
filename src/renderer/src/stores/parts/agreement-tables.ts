// The Agreement page's tables, read from an agreement report (pure): the scheme's main
// field, the per-media breakdown with the same readings as the overall figures (the report
// keeps per-media values only, so they are read here), and the annotator-by-annotator
// matrix of the main field's pairwise agreement.

import type { AgreementReport, FieldAgreement } from '../../../../shared/agreement/report';
import { readStatistic, type StatisticName } from '../../../../shared/agreement/readings';

/** The order the page lists statistics in. */
export const STATISTICS: StatisticName[] = ['alpha_interval', 'icc2_1', 'icc2_k', 'alpha_nominal', 'fleiss_kappa', 'cohen_kappa'];

/** Fields with something to read: items two annotators rated. */
export function readableFields(fields: Record<string, FieldAgreement>): [string, FieldAgreement][] {
  return Object.entries(fields).filter(([, f]) => f.n_pairable > 0);
}

/** The scheme's main field: the overall score, or the post's pair label (else a side, when no pair is shared). */
export function mainField(report: AgreementReport): string | null {
  const candidates = report.scheme === 'mosi' ? ['score'] : ['pair', 'text', 'image'];
  return candidates.find((name) => (report.fields[name]?.n_pairable ?? 0) > 0) ?? null;
}

export interface StatisticReading {
  stat: StatisticName;
  text: string;
}

/** A field's statistics, each with its one-line reading, in the page's order. */
export function readingsOf(field: FieldAgreement): StatisticReading[] {
  return STATISTICS.filter((stat) => field[stat] !== undefined).map((stat) => ({
    stat,
    text: field.reading?.[stat] ?? readStatistic(stat, field[stat] ?? null),
  }));
}

export interface MediaFieldRow {
  media: string;
  /** null: no item of this media was rated by two annotators. */
  field: string | null;
  /** The media's first row, which spans its `rows`. */
  first: boolean;
  rows: number;
  n_items: number;
  n_complete: number;
  readings: StatisticReading[];
}

/** One row per media item and readable field, media by name. */
export function perMediaRows(report: AgreementReport): MediaFieldRow[] {
  const out: MediaFieldRow[] = [];
  const media = Object.keys(report.per_media).sort((a, b) => a.localeCompare(b));
  for (const name of media) {
    const fields = readableFields(report.per_media[name]);
    if (!fields.length) {
      out.push({ media: name, field: null, first: true, rows: 1, n_items: 0, n_complete: 0, readings: [] });
      continue;
    }
    fields.forEach(([field, f], i) =>
      out.push({
        media: name,
        field,
        first: i === 0,
        rows: fields.length,
        n_items: f.n_items,
        n_complete: f.n_complete,
        readings: readingsOf(f),
      }),
    );
  }
  return out;
}

export interface PairCell {
  /** alpha of the two annotators over the items both rated (interval or nominal, as the field). */
  alpha: number | null;
  n: number;
  /** Interval fields: mean |a - b|; nominal: Cohen's kappa. */
  detail: number | null;
}

export interface PairMatrix {
  field: string;
  kind: 'interval' | 'nominal';
  annotators: string[];
  /** Row annotator × column annotator; null on the diagonal. */
  cells: (PairCell | null)[][];
}

/** The main field's pairwise agreement as a symmetric annotators × annotators matrix. */
export function pairMatrix(report: AgreementReport): PairMatrix | null {
  const field = mainField(report);
  const pairs = field ? report.fields[field].pairwise : undefined;
  if (!field || !pairs) return null;
  const names = report.annotators;
  const kind = pairs.some((p) => p.alpha_interval !== undefined) ? 'interval' : 'nominal';
  const cells: (PairCell | null)[][] = names.map(() => names.map(() => null));
  for (const p of pairs) {
    const i = names.indexOf(p.a);
    const j = names.indexOf(p.b);
    if (i < 0 || j < 0) continue;
    const cell: PairCell =
      kind === 'interval'
        ? { alpha: p.alpha_interval ?? null, n: p.n_items, detail: p.mean_abs_diff ?? null }
        : { alpha: p.alpha_nominal ?? null, n: p.n_items, detail: p.cohen_kappa ?? null };
    cells[i][j] = cell;
    cells[j][i] = cell;
  }
  return { field, kind, annotators: names, cells };
}
