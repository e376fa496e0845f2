// YIN F0 (de Cheveigne & Kawahara 2002) per frame. The difference function
// d(tau) = sum_{j<W} (x[j] - x[j+tau])^2 is computed as E(0) + E(tau) - 2 r(tau), with the
// cross-correlation r from one FFT product and the energies from prefix sums: a direct
// sum costs W * tauMax (~100k) multiply-adds a frame, too slow for 100 frames a second.

import { RealFft } from './fft';

export interface PitchEstimate {
  /** Hz; 0 when unvoiced. */
  f0: number;
  /** clamp(1 - min CMND, 0, 1). */
  voicingProb: number;
}

export class YinPitch {
  private readonly window: number;
  private readonly tauMin: number;
  private readonly tauMax: number;
  private readonly span: number;
  private readonly sampleRate: number;
  private readonly threshold: number;
  private readonly fft: RealFft;
  private readonly a: Float64Array;
  private readonly ar: Float64Array;
  private readonly ai: Float64Array;
  private readonly br: Float64Array;
  private readonly bi: Float64Array;
  private readonly corr: Float64Array;
  private readonly energy: Float64Array;
  private readonly cmnd: Float64Array;

  /**
   * @param window integration window W (the frame length)
   * @param tauMin,tauMax lag range searched, inclusive; the input span is W + tauMax + 1
   */
  constructor(sampleRate: number, window: number, tauMin: number, tauMax: number, threshold: number) {
    this.sampleRate = sampleRate;
    this.window = window;
    this.tauMin = tauMin;
    this.tauMax = tauMax;
    this.threshold = threshold;
    this.span = window + tauMax + 1;
    let size = 4;
    while (size < this.span) size <<= 1;
    this.fft = new RealFft(size);
    this.a = new Float64Array(size);
    const bins = this.fft.bins;
    this.ar = new Float64Array(bins);
    this.ai = new Float64Array(bins);
    this.br = new Float64Array(bins);
    this.bi = new Float64Array(bins);
    this.corr = new Float64Array(size);
    this.energy = new Float64Array(this.span + 1);
    this.cmnd = new Float64Array(tauMax + 2);
  }

  /** Samples estimate() reads from its input. */
  get spanLength(): number {
    return this.span;
  }

  /**
   * x: at least spanLength samples (zeros past the end of the stream), of which the first
   * window are the frame. Writes into `out` (no allocation).
   */
  estimate(x: Float64Array, out: PitchEstimate): void {
    const { window: w, tauMin, tauMax, span } = this;
    const a = this.a;
    a.fill(0);
    for (let j = 0; j < w; j++) a[j] = x[j];
    this.fft.forward(a, this.ar, this.ai);
    for (let j = 0; j < span; j++) a[j] = x[j];
    this.fft.forward(a, this.br, this.bi);
    const { ar, ai, br, bi } = this;
    for (let k = 0; k < this.fft.bins; k++) {
      // conj(A) * B -> cross-correlation r(tau) = sum_j a[j] b[j + tau]
      const re = ar[k] * br[k] + ai[k] * bi[k];
      const im = ar[k] * bi[k] - ai[k] * br[k];
      ar[k] = re;
      ai[k] = im;
    }
    const r = this.corr;
    this.fft.inverse(ar, ai, r);

    const e = this.energy;
    e[0] = 0;
    for (let j = 0; j < span; j++) e[j + 1] = e[j] + x[j] * x[j];
    const e0 = e[w];

    // Cumulative mean normalised difference, d'(0) = 1.
    const cmnd = this.cmnd;
    cmnd[0] = 1;
    let running = 0;
    for (let tau = 1; tau <= tauMax + 1; tau++) {
      let d = e0 + (e[tau + w] - e[tau]) - 2 * r[tau];
      if (d < 0) d = 0; // rounding on near-perfectly periodic input
      running += d;
      cmnd[tau] = running > 0 ? (d * tau) / running : 1;
    }

    let minCmnd = Infinity;
    let chosen = -1;
    for (let tau = tauMin; tau <= tauMax; tau++) {
      const v = cmnd[tau];
      if (v < minCmnd) minCmnd = v;
      if (chosen < 0 && v < this.threshold) {
        while (tau + 1 <= tauMax && cmnd[tau + 1] < cmnd[tau]) tau++;
        chosen = tau;
        if (cmnd[tau] < minCmnd) minCmnd = cmnd[tau];
      }
    }
    const prob = 1 - minCmnd;
    out.voicingProb = prob > 0 ? (prob < 1 ? prob : 1) : 0;
    if (chosen < 0) {
      out.f0 = 0;
      return;
    }
    const left = cmnd[chosen - 1];
    const mid = cmnd[chosen];
    const right = cmnd[chosen + 1];
    const denom = left - 2 * mid + right;
    let shift = denom > 0 ? (0.5 * (left - right)) / denom : 0;
    if (shift > 0.5) shift = 0.5;
    else if (shift < -0.5) shift = -0.5;
    out.f0 = this.sampleRate / (chosen + shift);
  }
}
