// Percentile bootstrap intervals: items resampled with replacement, from a seeded
// generator so the same project gives the same interval on every run.

/** mulberry32: small, fast, and the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface BootstrapOptions {
  resamples: number;
  seed: number;
}

/** Value at quantile q (linear between order statistics) of sorted values. */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * 95 % interval of statistic(items) over resamples of the items; each statistic of
 * `stats` is computed on the same resample. Resamples where a statistic is undefined
 * are skipped for it; null when none was defined.
 */
export function bootstrapIntervals<T>(
  items: readonly T[],
  stats: Record<string, (sample: T[]) => number | null>,
  options: BootstrapOptions,
): Record<string, [number, number] | null> {
  const random = seededRandom(options.seed);
  const draws: Record<string, number[]> = {};
  for (const name of Object.keys(stats)) draws[name] = [];
  if (items.length > 0) {
    for (let b = 0; b < options.resamples; b++) {
      const sample: T[] = [];
      for (let i = 0; i < items.length; i++) sample.push(items[Math.floor(random() * items.length)]);
      for (const [name, stat] of Object.entries(stats)) {
        const value = stat(sample);
        if (value !== null && Number.isFinite(value)) draws[name].push(value);
      }
    }
  }
  const out: Record<string, [number, number] | null> = {};
  for (const [name, values] of Object.entries(draws)) {
    values.sort((a, b) => a - b);
    out[name] = values.length ? [quantile(values, 0.025), quantile(values, 0.975)] : null;
  }
  return out;
}
