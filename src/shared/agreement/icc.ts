// Intraclass correlation, Shrout & Fleiss (1979) case 2: two-way random effects,
// absolute agreement, on items every annotator rated (n targets x k judges).
//   ICC(2,1) = (BMS - EMS) / (BMS + (k-1) EMS + k (JMS - EMS) / n)
//   ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
// null with fewer than two items or judges, or when the denominator is 0.

export interface Icc2 {
  icc2_1: number | null;
  icc2_k: number | null;
}

export function icc2(rows: readonly (readonly number[])[]): Icc2 {
  const n = rows.length;
  const k = n ? rows[0].length : 0;
  if (n < 2 || k < 2) return { icc2_1: null, icc2_k: null };
  let grand = 0;
  const rowMeans = rows.map((r) => r.reduce((a, b) => a + b, 0) / k);
  const colMeans = new Array<number>(k).fill(0);
  for (const r of rows) r.forEach((v, j) => (colMeans[j] += v / n));
  for (const m of rowMeans) grand += m / n;
  let total = 0;
  for (const r of rows) for (const v of r) total += (v - grand) ** 2;
  const ssRows = k * rowMeans.reduce((a, m) => a + (m - grand) ** 2, 0);
  const ssCols = n * colMeans.reduce((a, m) => a + (m - grand) ** 2, 0);
  const ssError = total - ssRows - ssCols;
  const bms = ssRows / (n - 1);
  const jms = ssCols / (k - 1);
  const ems = ssError / ((n - 1) * (k - 1));
  const single = bms + (k - 1) * ems + (k * (jms - ems)) / n;
  const average = bms + (jms - ems) / n;
  return {
    icc2_1: single === 0 ? null : (bms - ems) / single,
    icc2_k: average === 0 ? null : (bms - ems) / average,
  };
}
