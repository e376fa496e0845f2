// One plain line per figure, saying what it means by the usual yardsticks:
// Krippendorff (2004/2011) for alpha (>= 0.8 reliable, >= 0.667 tentative), Koo & Li
// (2016) for ICC, Landis & Koch (1977) for kappa.

export type StatisticName = 'alpha_interval' | 'alpha_nominal' | 'icc2_1' | 'icc2_k' | 'fleiss_kappa' | 'cohen_kappa';

const fixed = (v: number) => v.toFixed(2);

function alphaReading(label: string, v: number): string {
  if (v >= 0.8) return `${label} ${fixed(v)}: reliable (at least the 0.8 usually asked)`;
  if (v >= 0.667) return `${label} ${fixed(v)}: tentative, below the 0.8 usually asked`;
  return `${label} ${fixed(v)}: unreliable, below the 0.667 lowest acceptable`;
}

function iccReading(label: string, v: number): string {
  const word = v < 0.5 ? 'poor' : v < 0.75 ? 'moderate' : v < 0.9 ? 'good' : 'excellent';
  return `${label} ${fixed(v)}: ${word} (Koo & Li: 0.5 / 0.75 / 0.9)`;
}

function kappaReading(label: string, v: number): string {
  const word =
    v < 0
      ? 'worse than chance'
      : v <= 0.2
        ? 'slight'
        : v <= 0.4
          ? 'fair'
          : v <= 0.6
            ? 'moderate'
            : v <= 0.8
              ? 'substantial'
              : 'almost perfect';
  return `${label} ${fixed(v)}: ${word} agreement (Landis & Koch)`;
}

const LABELS: Record<StatisticName, string> = {
  alpha_interval: 'alpha (interval)',
  alpha_nominal: 'alpha (nominal)',
  icc2_1: 'ICC(2,1)',
  icc2_k: 'ICC(2,k)',
  fleiss_kappa: "Fleiss' kappa",
  cohen_kappa: "Cohen's kappa",
};

export function readStatistic(name: StatisticName, value: number | null): string {
  const label = LABELS[name];
  if (value === null) return `${label}: not defined here (too few items, or the ratings never vary)`;
  if (name.startsWith('alpha')) return alphaReading(label, value);
  if (name.startsWith('icc')) return iccReading(label, value);
  return kappaReading(label, value);
}

/** The scatter's line: how closely two annotators' scores go together (Cohen 1988: 0.1 / 0.3 / 0.5). */
export function readScorePairs(p: { a: string; b: string; n: number; r: number | null; meanAbsDiff: number | null }): string {
  if (p.n === 0) return `${p.a} and ${p.b} rated no item in common`;
  const diff = p.meanAbsDiff === null ? '' : `; their scores differ by ${fixed(p.meanAbsDiff)} on average`;
  if (p.r === null) return `${p.n} item(s) both rated: r not defined (too few, or one never varies)${diff}`;
  const word = Math.abs(p.r) < 0.1 ? 'no' : Math.abs(p.r) < 0.3 ? 'weak' : Math.abs(p.r) < 0.5 ? 'moderate' : 'strong';
  const sign = p.r < 0 ? ', the wrong way round' : '';
  return `${p.n} items both rated: r ${fixed(p.r)}, ${word} correlation${sign} (Cohen: 0.1 / 0.3 / 0.5)${diff}`;
}

/**
 * The disagreement histogram's line. Interval (scores): how many items are within half a
 * point and how many 2 points or more apart; nominal (shares): how many are unanimous and
 * how many have half or more of the annotators off the commonest label.
 */
export function readDisagreement(h: { edges: readonly number[]; counts: readonly number[] }, kind: 'interval' | 'nominal'): string {
  const n = h.counts.reduce((s, c) => s + c, 0);
  if (n === 0) return 'no item rated by two annotators';
  const far = h.counts.reduce((s, c, i) => s + (h.edges[i] >= (kind === 'interval' ? 2 : 0.5) ? c : 0), 0);
  const last = h.counts.reduce((top, c, i) => (c > 0 ? i : top), 0);
  if (kind === 'interval') {
    const widest = `${fixed(h.edges[last])}–${fixed(h.edges[last + 1])}`;
    return `${n} items: ${h.counts[0]} within half a point, ${far} apart by 2 points or more (the widest ${widest})`;
  }
  return `${n} items: ${h.counts[0]} unanimous, ${far} with half or more of the annotators off the commonest label`;
}
