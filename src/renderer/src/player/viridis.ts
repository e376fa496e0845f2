// A viridis-like colour map as a 256-entry RGBA lookup table: perceptually even, readable
// in grey, dark for quiet bands. From the degree-6 polynomial fit of matplotlib's viridis
// (Matt Zucker's fit, public domain), so no 256-row table lives in the source.

const C: [number, number, number][] = [
  [0.2777273272234177, 0.005407344544966578, 0.3340998053353061],
  [0.1050930431085774, 1.404613529898575, 1.384590162594685],
  [-0.3308618287255563, 0.214847559468213, 0.09509516302823659],
  [-4.634230498983486, -5.799100973351585, -19.33244095627987],
  [6.228269936347081, 14.17993336680509, 56.69055260068105],
  [4.776384997670288, -13.74514537774601, -65.35303263337234],
  [-5.435455855934631, 4.645852612178535, 26.3124352495832],
];

function channel(t: number, k: 0 | 1 | 2): number {
  let v = 0;
  for (let i = C.length - 1; i >= 0; i--) v = v * t + C[i][k];
  return Math.round(Math.max(0, Math.min(1, v)) * 255);
}

/** RGBA bytes for 256 levels, level 0 = quietest. */
export const VIRIDIS: Uint8ClampedArray = (() => {
  const table = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    table[i * 4] = channel(t, 0);
    table[i * 4 + 1] = channel(t, 1);
    table[i * 4 + 2] = channel(t, 2);
    table[i * 4 + 3] = 255;
  }
  return table;
})();
