// Lexicon features on the real CMU-MOSI transcripts (../shared/data/mosi/segments.csv):
// on the labelled train split they must track the annotators' sentiment scores.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEXICON_FEATURE_NAMES, lexiconFeatures } from '../../src/core/analysis/text/index';
import { parseCsv } from '../../src/shared/csv';

const csv = fileURLToPath(new URL('../../../shared/data/mosi/segments.csv', import.meta.url));

function mosiRows(): { text: string; label: string; split: string }[] {
  const table = parseCsv(readFileSync(csv, 'utf8'));
  const col = (name: string) => table.header.indexOf(name);
  const [text, label, split] = [col('text'), col('label'), col('split')];
  return table.rows.map((r) => ({ text: r.cells[text], label: r.cells[label], split: r.cells[split] }));
}

function pearson(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('lexicon features on CMU-MOSI transcripts', () => {
  const rows = mosiRows();
  const train = rows.filter((r) => r.split === 'train' && r.label !== '');

  it('correlate with the sentiment labels of the train split', () => {
    expect(train.length).toBe(1281);
    const labels: number[] = [];
    const columns = LEXICON_FEATURE_NAMES.map(() => [] as number[]);
    for (const row of train) {
      const f = lexiconFeatures(row.text);
      expect(f, row.text).not.toBeNull();
      labels.push(Number(row.label));
      f!.values.forEach((v, j) => columns[j].push(v));
    }
    const r = (name: (typeof LEXICON_FEATURE_NAMES)[number]) => pearson(columns[LEXICON_FEATURE_NAMES.indexOf(name)], labels);
    // Measured: vader_compound r = 0.532, afinn_mean 0.470, afinn_sum 0.452,
    // vader_negative -0.405, afinn_negative_words -0.357 (dev split: compound 0.551).
    expect(r('vader_compound')).toBeGreaterThan(0.4);
    expect(r('afinn_mean')).toBeGreaterThan(0.3);
    expect(r('vader_negative')).toBeLessThan(-0.2);
    expect(r('afinn_negative_words')).toBeLessThan(-0.2);
  });

  it('marks untranscribed segments absent', () => {
    const empty = rows.filter((r) => r.text.trim() === '');
    expect(empty.length).toBeGreaterThan(0);
    for (const row of empty) expect(lexiconFeatures(row.text)).toBeNull();
  });
});
