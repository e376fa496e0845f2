// HTK-scale mel filterbank (torchaudio melscale_fbanks(..., norm=None, mel_scale='htk')),
// stored sparsely because each triangle touches only a few FFT bins, and the orthonormal
// DCT-II that turns log-mel into MFCC. See [Note: acoustic recipe] in recipe.ts.

export const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
export const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

export class MelFilterbank {
  readonly bands: number;
  /** nFft / 2 + 1. */
  readonly bins: number;
  /** Band b's weights are weights[offsets[b] .. offsets[b+1]) for bins firstBin[b].. */
  readonly firstBin: Int32Array;
  readonly offsets: Int32Array;
  readonly weights: Float64Array;
  /** Centre frequency (Hz) of each band. */
  readonly centersHz: Float64Array;

  constructor(sampleRate: number, nFft: number, bands: number, fMin: number, fMax: number) {
    this.bands = bands;
    this.bins = (nFft >> 1) + 1;
    const binHz = sampleRate / 2 / (this.bins - 1); // torchaudio: linspace(0, sr//2, n_freqs)
    const mMin = hzToMel(fMin);
    const mMax = hzToMel(fMax);
    const edges = new Float64Array(bands + 2);
    for (let i = 0; i < bands + 2; i++) edges[i] = melToHz(mMin + ((mMax - mMin) * i) / (bands + 1));
    this.centersHz = edges.slice(1, bands + 1);

    const first: number[] = [];
    const offsets: number[] = [0];
    const weights: number[] = [];
    for (let b = 0; b < bands; b++) {
      const lo = edges[b];
      const mid = edges[b + 1];
      const hi = edges[b + 2];
      let start = -1;
      const row: number[] = [];
      for (let k = 0; k < this.bins; k++) {
        const f = k * binHz;
        const w = Math.max(0, Math.min((f - lo) / (mid - lo), (hi - f) / (hi - mid)));
        if (w > 0) {
          if (start < 0) start = k;
          // Zeros inside the support cannot occur for a triangle; keep the run contiguous.
          row.length = k - start;
          row.push(w);
        }
      }
      first.push(start < 0 ? 0 : start);
      weights.push(...row);
      offsets.push(weights.length);
    }
    this.firstBin = Int32Array.from(first);
    this.offsets = Int32Array.from(offsets);
    this.weights = Float64Array.from(weights);
  }

  /** Bands with no FFT bin inside them (too many bands for nFft); these always read the log floor. */
  emptyBands(): number[] {
    const out: number[] = [];
    for (let b = 0; b < this.bands; b++) if (this.offsets[b + 1] === this.offsets[b]) out.push(b);
    return out;
  }

  /** out[b] = ln(max(sum_k fb[b][k] * power[k], floor)). */
  logMel(power: Float64Array, floor: number, out: Float64Array): void {
    const w = this.weights;
    for (let b = 0; b < this.bands; b++) {
      let k = this.firstBin[b];
      let sum = 0;
      for (let i = this.offsets[b], end = this.offsets[b + 1]; i < end; i++, k++) sum += w[i] * power[k];
      out[b] = Math.log(sum > floor ? sum : floor);
    }
  }

  /** The filterbank as a dense bands x bins row-major matrix (for checks and export). */
  toDense(): Float64Array {
    const dense = new Float64Array(this.bands * this.bins);
    for (let b = 0; b < this.bands; b++) {
      for (let i = this.offsets[b], k = this.firstBin[b]; i < this.offsets[b + 1]; i++, k++) dense[b * this.bins + k] = this.weights[i];
    }
    return dense;
  }
}

/**
 * Orthonormal DCT-II, first `count` rows: c[i] = s_i * sum_n x[n] cos(pi/N (n + 0.5) i),
 * s_0 = sqrt(1/N), s_i = sqrt(2/N). Same as scipy.fft.dct(x, type=2, norm='ortho')[:count].
 */
export class OrthonormalDct {
  readonly inputs: number;
  readonly outputs: number;
  /** outputs x inputs, row-major. */
  readonly matrix: Float64Array;

  constructor(inputs: number, outputs: number) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.matrix = new Float64Array(inputs * outputs);
    for (let i = 0; i < outputs; i++) {
      const scale = Math.sqrt((i === 0 ? 1 : 2) / inputs);
      for (let n = 0; n < inputs; n++) this.matrix[i * inputs + n] = scale * Math.cos((Math.PI / inputs) * (n + 0.5) * i);
    }
  }

  apply(x: Float64Array, out: Float64Array): void {
    const m = this.matrix;
    const n = this.inputs;
    for (let i = 0; i < this.outputs; i++) {
      let sum = 0;
      for (let j = 0, r = i * n; j < n; j++) sum += m[r + j] * x[j];
      out[i] = sum;
    }
  }
}
