// Radix-2 FFTs with tables built once per size: a complex in-place transform, and a real
// transform of length n done as a complex one of length n/2 (the even/odd split), so the
// per-frame cost is half a complex FFT and nothing is allocated per call.

function assertPowerOfTwo(n: number, min: number): void {
  if (!Number.isInteger(n) || n < min || (n & (n - 1)) !== 0) {
    throw new RangeError(`FFT size must be a power of two >= ${min}, got ${n}`);
  }
}

/** In-place complex FFT, forward sign exp(-2*pi*i*k*n/N), unnormalised. */
export class ComplexFft {
  readonly size: number;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  /** Pairs (i, j), i < j, to swap for the bit-reversal permutation. */
  private readonly swaps: Uint32Array;

  constructor(size: number) {
    assertPowerOfTwo(size, 1);
    this.size = size;
    const half = size >> 1;
    this.cos = new Float64Array(half);
    this.sin = new Float64Array(half);
    for (let k = 0; k < half; k++) {
      this.cos[k] = Math.cos((2 * Math.PI * k) / size);
      this.sin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
    const bits = Math.log2(size);
    const swaps: number[] = [];
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      if (i < r) swaps.push(i, r);
    }
    this.swaps = Uint32Array.from(swaps);
  }

  /** Forward transform of (re, im), each of length size, in place. */
  transform(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const swaps = this.swaps;
    for (let s = 0; s < swaps.length; s += 2) {
      const i = swaps[s];
      const j = swaps[s + 1];
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
    if (n >= 2) {
      // Length-2 butterflies: twiddle 1.
      for (let a = 0; a < n; a += 2) {
        const br = re[a + 1];
        const bi = im[a + 1];
        re[a + 1] = re[a] - br;
        im[a + 1] = im[a] - bi;
        re[a] += br;
        im[a] += bi;
      }
    }
    if (n >= 4) {
      // Length-4 butterflies: twiddles 1 and -i.
      for (let a = 0; a < n; a += 4) {
        let br = re[a + 2];
        let bi = im[a + 2];
        re[a + 2] = re[a] - br;
        im[a + 2] = im[a] - bi;
        re[a] += br;
        im[a] += bi;
        br = im[a + 3];
        bi = -re[a + 3];
        re[a + 3] = re[a + 1] - br;
        im[a + 3] = im[a + 1] - bi;
        re[a + 1] += br;
        im[a + 1] += bi;
      }
    }
    const cos = this.cos;
    const sin = this.sin;
    for (let len = 8; len <= n; len <<= 1) {
      const halfLen = len >> 1;
      const step = n / len;
      // Twiddle outermost: each is loaded once per stage.
      for (let k = 0; k < halfLen; k++) {
        const wr = cos[k * step];
        const wi = sin[k * step];
        for (let a = k; a < n; a += len) {
          const b = a + halfLen;
          const br = re[b] * wr - im[b] * wi;
          const bi = re[b] * wi + im[b] * wr;
          re[b] = re[a] - br;
          im[b] = im[a] - bi;
          re[a] += br;
          im[a] += bi;
        }
      }
    }
  }
}

/**
 * FFT of a real signal of length size (>= 4): size/2 + 1 complex bins out, and the inverse
 * (normalised by 1/size, so inverse(forward(x)) == x).
 */
export class RealFft {
  readonly size: number;
  readonly bins: number;
  private readonly half: ComplexFft;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  /** exp(-2*pi*i*k/size) for k = 0..size/2. */
  private readonly wr: Float64Array;
  private readonly wi: Float64Array;

  constructor(size: number) {
    assertPowerOfTwo(size, 4);
    this.size = size;
    const m = size >> 1;
    this.bins = m + 1;
    this.half = new ComplexFft(m);
    this.zr = new Float64Array(m);
    this.zi = new Float64Array(m);
    this.wr = new Float64Array(m + 1);
    this.wi = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.wr[k] = Math.cos((2 * Math.PI * k) / size);
      this.wi[k] = -Math.sin((2 * Math.PI * k) / size);
    }
  }

  /**
   * x (length >= size; only the first size values are read) -> outRe/outIm (length >= bins).
   */
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    const m = this.size >> 1;
    const zr = this.zr;
    const zi = this.zi;
    for (let j = 0; j < m; j++) {
      zr[j] = x[2 * j];
      zi[j] = x[2 * j + 1];
    }
    this.half.transform(zr, zi);
    const wr = this.wr;
    const wi = this.wi;
    // X[k] = E[k] + W^k O[k], E = (Z[k] + conj Z[m-k]) / 2, O = (Z[k] - conj Z[m-k]) / 2i.
    for (let k = 0; k <= m; k++) {
      const a = k === m ? 0 : k;
      const b = k === 0 ? 0 : m - k;
      const ar = zr[a];
      const ai = zi[a];
      const br = zr[b];
      const bi = -zi[b];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // (a - b) / 2i = (ai - bi)/2 - i (ar - br)/2
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      outRe[k] = er + wr[k] * or - wi[k] * oi;
      outIm[k] = ei + wr[k] * oi + wi[k] * or;
    }
  }

  /** Hermitian spectrum (bins values; imaginary parts of bins 0 and size/2 ignored) -> x. */
  inverse(re: Float64Array, im: Float64Array, out: Float64Array): void {
    const m = this.size >> 1;
    const zr = this.zr;
    const zi = this.zi;
    const wr = this.wr;
    const wi = this.wi;
    // E[k] = (X[k] + conj X[m-k]) / 2, O[k] = (X[k] - conj X[m-k]) / (2 W^k), Z = E + iO.
    // Build conj(Z) so a forward transform computes the inverse.
    for (let k = 0; k < m; k++) {
      const xr = re[k];
      const xi = k === 0 ? 0 : im[k];
      const yr = re[m - k];
      const yi = k === 0 ? 0 : -im[m - k];
      const er = 0.5 * (xr + yr);
      const ei = 0.5 * (xi + yi);
      const dr = 0.5 * (xr - yr);
      const di = 0.5 * (xi - yi);
      // divide by W^k = multiply by conj(W^k)
      const or = dr * wr[k] + di * wi[k];
      const oi = di * wr[k] - dr * wi[k];
      zr[k] = er - oi;
      zi[k] = -(ei + or);
    }
    this.half.transform(zr, zi);
    const scale = 1 / m;
    for (let j = 0; j < m; j++) {
      out[2 * j] = zr[j] * scale;
      out[2 * j + 1] = -zi[j] * scale;
    }
  }
}

/** |X[k]|^2 for each bin. */
export function powerSpectrum(re: Float64Array, im: Float64Array, out: Float64Array, bins = out.length): void {
  for (let k = 0; k < bins; k++) out[k] = re[k] * re[k] + im[k] * im[k];
}
