// The FFTs behind the spectrum and YIN agree with a naive DFT and invert exactly.

import { describe, expect, it } from 'vitest';
import { ComplexFft, RealFft, powerSpectrum } from '../../src/core/analysis/acoustic';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  };
}

function naiveDft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const angle = (-2 * Math.PI * ((k * j) % n)) / n;
      sr += re[j] * Math.cos(angle) - im[j] * Math.sin(angle);
      si += re[j] * Math.sin(angle) + im[j] * Math.cos(angle);
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>, n = a.length) => {
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('ComplexFft', () => {
  for (const n of [1, 2, 4, 8, 64, 512]) {
    it(`matches a naive DFT on random complex input (n = ${n})`, () => {
      const rnd = seeded(n);
      const re = Float64Array.from({ length: n }, rnd);
      const im = Float64Array.from({ length: n }, rnd);
      const expected = naiveDft(re, im);
      new ComplexFft(n).transform(re, im);
      expect(maxAbsDiff(re, expected.re)).toBeLessThan(1e-6);
      expect(maxAbsDiff(im, expected.im)).toBeLessThan(1e-6);
    });
  }

  it('rejects sizes that are not powers of two', () => {
    expect(() => new ComplexFft(400)).toThrow(/power of two/);
  });
});

describe('RealFft', () => {
  for (const n of [4, 8, 16, 512, 1024]) {
    it(`matches a naive DFT on random real input and inverts it (n = ${n})`, () => {
      const rnd = seeded(1000 + n);
      const x = Float64Array.from({ length: n }, rnd);
      const expected = naiveDft(x, new Float64Array(n));
      const fft = new RealFft(n);
      const re = new Float64Array(fft.bins);
      const im = new Float64Array(fft.bins);
      fft.forward(x, re, im);
      expect(maxAbsDiff(re, expected.re, fft.bins)).toBeLessThan(1e-6);
      expect(maxAbsDiff(im, expected.im, fft.bins)).toBeLessThan(1e-6);

      const back = new Float64Array(n);
      fft.inverse(re, im, back);
      expect(maxAbsDiff(back, x)).toBeLessThan(1e-12);
    });
  }

  it('is reusable: the same input twice gives identical bins', () => {
    const fft = new RealFft(512);
    const x = Float64Array.from({ length: 512 }, seeded(3));
    const a = { re: new Float64Array(257), im: new Float64Array(257) };
    const b = { re: new Float64Array(257), im: new Float64Array(257) };
    fft.forward(x, a.re, a.im);
    fft.forward(Float64Array.from({ length: 512 }, seeded(99)), b.re, b.im);
    fft.forward(x, b.re, b.im);
    expect(b.re).toEqual(a.re);
    expect(b.im).toEqual(a.im);
  });

  it("gives a pure tone's power at its bin (Parseval holds)", () => {
    const n = 512;
    const x = Float64Array.from({ length: n }, (_, j) => Math.cos((2 * Math.PI * 32 * j) / n));
    const fft = new RealFft(n);
    const re = new Float64Array(fft.bins);
    const im = new Float64Array(fft.bins);
    const power = new Float64Array(fft.bins);
    fft.forward(x, re, im);
    powerSpectrum(re, im, power);
    expect(power[32]).toBeCloseTo((n / 2) ** 2, 6);
    let others = 0;
    for (let k = 0; k < fft.bins; k++) if (k !== 32) others += power[k];
    expect(others).toBeLessThan(1e-12 * power[32]);
  });
});
