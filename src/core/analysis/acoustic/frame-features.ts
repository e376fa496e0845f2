// One frame's feature row: log-mel, MFCC, F0 + voicing, log energy, zero-crossing rate,
// in the column order of acousticFeatureNames(). All scratch buffers are allocated once.

import { powerSpectrum, RealFft } from './fft';
import { MelFilterbank, OrthonormalDct } from './mel';
import { type PitchEstimate, YinPitch } from './pitch';
import { type AcousticRecipe, frameGeometry, type FrameGeometry } from './recipe';

export class FrameFeatures {
  readonly dims: number;
  readonly geometry: FrameGeometry;
  private readonly recipe: AcousticRecipe;
  private readonly window: Float64Array;
  private readonly fft: RealFft;
  private readonly mel: MelFilterbank;
  private readonly dct: OrthonormalDct;
  private readonly yin: YinPitch;
  private readonly frame: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly power: Float64Array;
  private readonly logMel: Float64Array;
  private readonly mfcc: Float64Array;
  private readonly pitch: PitchEstimate = { f0: 0, voicingProb: 0 };

  /** The recipe must have passed parseAcousticRecipe. */
  constructor(recipe: AcousticRecipe) {
    this.recipe = recipe;
    this.geometry = frameGeometry(recipe);
    const { frameLength, tauMin, tauMax } = this.geometry;
    this.dims = recipe.melBins + recipe.mfcc + 4;
    // Periodic Hann (torch.hann_window default).
    this.window = new Float64Array(frameLength);
    for (let n = 0; n < frameLength; n++) this.window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / frameLength);
    this.fft = new RealFft(recipe.nFft);
    this.mel = new MelFilterbank(recipe.sampleRate, recipe.nFft, recipe.melBins, recipe.fMin, recipe.fMax);
    this.dct = new OrthonormalDct(recipe.melBins, recipe.mfcc);
    this.yin = new YinPitch(recipe.sampleRate, frameLength, tauMin, tauMax, recipe.f0.threshold);
    this.frame = new Float64Array(recipe.nFft);
    this.re = new Float64Array(this.fft.bins);
    this.im = new Float64Array(this.fft.bins);
    this.power = new Float64Array(this.fft.bins);
    this.logMel = new Float64Array(recipe.melBins);
    this.mfcc = new Float64Array(recipe.mfcc);
  }

  /**
   * x: geometry.span samples starting at the frame's first sample (zeros past the end of
   * the stream). Writes dims values to out[offset..].
   */
  compute(x: Float64Array, out: Float32Array, offset: number): void {
    const { frameLength } = this.geometry;
    const { preEmphasis: a, logFloor } = this.recipe;

    let sumSquares = 0;
    let crossings = 0;
    for (let n = 0; n < frameLength; n++) {
      const v = x[n];
      sumSquares += v * v;
      if (n > 0 && v >= 0 !== x[n - 1] >= 0) crossings++;
    }

    // Pre-emphasis within the frame (Kaldi: the first sample uses itself as its past).
    const frame = this.frame;
    const w = this.window;
    frame[0] = (x[0] - a * x[0]) * w[0];
    for (let n = 1; n < frameLength; n++) frame[n] = (x[n] - a * x[n - 1]) * w[n];
    frame.fill(0, frameLength);
    this.fft.forward(frame, this.re, this.im);
    powerSpectrum(this.re, this.im, this.power);
    this.mel.logMel(this.power, logFloor, this.logMel);
    this.dct.apply(this.logMel, this.mfcc);
    this.yin.estimate(x, this.pitch);

    let o = offset;
    for (let i = 0; i < this.logMel.length; i++) out[o++] = this.logMel[i];
    for (let i = 0; i < this.mfcc.length; i++) out[o++] = this.mfcc[i];
    const meanSquare = sumSquares / frameLength;
    out[o++] = this.pitch.f0;
    out[o++] = this.pitch.voicingProb;
    out[o++] = Math.log(meanSquare > logFloor ? meanSquare : logFloor);
    out[o] = frameLength > 1 ? crossings / (frameLength - 1) : 0;
  }
}
