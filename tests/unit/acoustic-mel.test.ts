// Mel filterbank geometry (HTK scale, unnormalised triangles) and the orthonormal DCT
// that turns log-mel into MFCC.

import { describe, expect, it } from 'vitest';
import { DEFAULT_ACOUSTIC_RECIPE, hzToMel, MelFilterbank, melToHz, OrthonormalDct } from '../../src/core/analysis/acoustic';

const r = DEFAULT_ACOUSTIC_RECIPE;

describe('MelFilterbank (HTK, norm none)', () => {
  const fb = new MelFilterbank(r.sampleRate, r.nFft, r.melBins, r.fMin, r.fMax);
  const dense = fb.toDense();
  const binHz = r.sampleRate / r.nFft;

  it('has melBins rows of nFft/2 + 1 bins, none empty, weights in [0, 1]', () => {
    expect(fb.bands).toBe(40);
    expect(fb.bins).toBe(257);
    expect(dense.length).toBe(40 * 257);
    expect(fb.emptyBands()).toEqual([]);
    for (const w of dense) {
      expect(w).toBeGreaterThanOrEqual(0);
      expect(w).toBeLessThanOrEqual(1);
    }
  });

  it('uses the HTK mel formula and spaces centres evenly on it', () => {
    expect(hzToMel(700)).toBeCloseTo(2595 * Math.log10(2), 9);
    expect(melToHz(hzToMel(1234.5))).toBeCloseTo(1234.5, 9);
    const step = (hzToMel(r.fMax) - hzToMel(r.fMin)) / (r.melBins + 1);
    for (let b = 0; b < fb.bands; b++) expect(hzToMel(fb.centersHz[b])).toBeCloseTo(hzToMel(r.fMin) + step * (b + 1), 6);
  });

  it('peaks each triangle at one of the two FFT bins around its centre frequency', () => {
    for (let b = 0; b < fb.bands; b++) {
      let best = 0;
      for (let k = 1; k < fb.bins; k++) if (dense[b * fb.bins + k] > dense[b * fb.bins + best]) best = k;
      const centre = fb.centersHz[b] / binHz;
      // The triangle's slopes differ, so the larger weight is on one of the bracketing bins.
      expect([Math.floor(centre), Math.ceil(centre)]).toContain(best);
      // Nothing outside the triangle's edges.
      const lo = b === 0 ? r.fMin : fb.centersHz[b - 1];
      const hi = b === fb.bands - 1 ? r.fMax : fb.centersHz[b + 1];
      for (let k = 0; k < fb.bins; k++) if (k * binHz <= lo || k * binHz >= hi) expect(dense[b * fb.bins + k]).toBeLessThan(1e-9);
    }
  });

  it('sums to 1 over bands for bins between the first and last centre (overlapping triangles)', () => {
    for (let k = 0; k < fb.bins; k++) {
      const f = k * binHz;
      if (f < fb.centersHz[0] || f > fb.centersHz[fb.bands - 1]) continue;
      let sum = 0;
      for (let b = 0; b < fb.bands; b++) sum += dense[b * fb.bins + k];
      expect(sum).toBeCloseTo(1, 9);
    }
  });

  it('logMel floors zero energy at ln(logFloor) and matches the dense product', () => {
    const power = Float64Array.from({ length: fb.bins }, (_, k) => 1 + Math.sin(k) ** 2);
    const out = new Float64Array(fb.bands);
    fb.logMel(power, r.logFloor, out);
    for (let b = 0; b < fb.bands; b++) {
      let sum = 0;
      for (let k = 0; k < fb.bins; k++) sum += dense[b * fb.bins + k] * power[k];
      expect(out[b]).toBeCloseTo(Math.log(sum), 12);
    }
    fb.logMel(new Float64Array(fb.bins), r.logFloor, out);
    for (const v of out) expect(v).toBe(Math.log(r.logFloor));
  });

  it('reports empty bands when there are more bands than the FFT resolves', () => {
    expect(new MelFilterbank(16000, 64, 40, 20, 8000).emptyBands().length).toBeGreaterThan(0);
  });
});

describe('OrthonormalDct (DCT-II, norm ortho)', () => {
  it('is orthonormal: the full 40 x 40 matrix times its transpose is the identity', () => {
    const dct = new OrthonormalDct(40, 40);
    for (let i = 0; i < 40; i++) {
      for (let j = 0; j < 40; j++) {
        let dot = 0;
        for (let n = 0; n < 40; n++) dot += dct.matrix[i * 40 + n] * dct.matrix[j * 40 + n];
        expect(dot).toBeCloseTo(i === j ? 1 : 0, 12);
      }
    }
  });

  it('maps a constant log-mel vector (flat spectrum) to c0 = v * sqrt(N) and zeros', () => {
    const dct = new OrthonormalDct(40, 13);
    const out = new Float64Array(13);
    dct.apply(new Float64Array(40).fill(-3.5), out);
    expect(out[0]).toBeCloseTo(-3.5 * Math.sqrt(40), 10);
    for (let i = 1; i < 13; i++) expect(Math.abs(out[i])).toBeLessThan(1e-12);
  });

  it('maps a cosine at DCT frequency 3 to coefficient 3 only', () => {
    const dct = new OrthonormalDct(40, 13);
    const x = Float64Array.from({ length: 40 }, (_, n) => Math.cos((Math.PI / 40) * (n + 0.5) * 3));
    const out = new Float64Array(13);
    dct.apply(x, out);
    for (let i = 0; i < 13; i++) expect(out[i]).toBeCloseTo(i === 3 ? Math.sqrt(20) : 0, 10);
  });
});
