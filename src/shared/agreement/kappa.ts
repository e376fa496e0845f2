// Chance-corrected agreement on categories, on items every annotator rated.
// Fleiss (1971): kappa = (P_bar - P_e) / (1 - P_e) for a fixed number of raters per item.
// Cohen (1960): two raters, kappa = (p_o - p_e) / (1 - p_e) from the marginals.
// null when chance agreement is total (P_e = 1) or there are no items.

export function fleissKappa<V>(rows: readonly (readonly V[])[]): number | null {
  const n = rows.length;
  const raters = n ? rows[0].length : 0;
  if (n === 0 || raters < 2) return null;
  const totals = new Map<V, number>();
  let agreement = 0;
  for (const row of rows) {
    const counts = new Map<V, number>();
    for (const v of row) counts.set(v, (counts.get(v) ?? 0) + 1);
    let same = 0;
    for (const [v, c] of counts) {
      same += c * (c - 1);
      totals.set(v, (totals.get(v) ?? 0) + c);
    }
    agreement += same / (raters * (raters - 1));
  }
  const pBar = agreement / n;
  let pE = 0;
  for (const c of totals.values()) pE += (c / (n * raters)) ** 2;
  if (pE === 1) return null;
  return (pBar - pE) / (1 - pE);
}

export function cohenKappa<V>(rows: readonly (readonly [V, V] | readonly V[])[]): number | null {
  const n = rows.length;
  if (n === 0) return null;
  const first = new Map<V, number>();
  const second = new Map<V, number>();
  let agree = 0;
  for (const [a, b] of rows) {
    if (a === b) agree++;
    first.set(a, (first.get(a) ?? 0) + 1);
    second.set(b, (second.get(b) ?? 0) + 1);
  }
  let pE = 0;
  for (const [v, c] of first) pE += (c / n) * ((second.get(v) ?? 0) / n);
  if (pE === 1) return null;
  return (agree / n - pE) / (1 - pE);
}
