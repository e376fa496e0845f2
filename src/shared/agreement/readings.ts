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
