// Frame features on synthesized signals: YIN on tones, unvoiced noise and silence, snip-edges
// frame counts, chunk-size independence, and the utterance statistics.

import { describe, expect, it } from 'vitest';
import {
  AcousticExtractor,
  type AcousticFrames,
  DEFAULT_ACOUSTIC_RECIPE,
  extractAcousticFeatures,
  utteranceStatistics,
} from '../../src/core/analysis/acoustic';

const RATE = 16_000;

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function tone(hz: number, seconds: number, amplitude = 0.5): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * RATE) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / RATE));
}

function whiteNoise(seconds: number, seed: number): Float32Array {
  const rnd = seeded(seed);
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => (rnd() * 2 - 1) * 0.3);
}

function column(m: AcousticFrames, name: string): number[] {
  const c = m.names.indexOf(name);
  expect(c).toBeGreaterThanOrEqual(0);
  return Array.from({ length: m.frames }, (_, t) => m.data[t * m.dims + c]);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
};

const allFinite = (m: AcousticFrames) => m.data.every((v) => Number.isFinite(v));

describe('YIN F0 on synthesized tones', () => {
  for (const hz of [80, 120, 220, 330, 450]) {
    it(`finds ${hz} Hz within 1% in (nearly) every frame, with high voicing`, () => {
      const m = extractAcousticFeatures(tone(hz, 1));
      const f0 = column(m, 'f0_hz');
      // The last frames' look-ahead runs into zeros past the end; all others are exact.
      const inner = f0.slice(0, -2);
      for (const v of inner) expect(Math.abs(v - hz)).toBeLessThan(hz * 0.01);
      expect(Math.abs(median(f0) - hz)).toBeLessThan(2);
      expect(median(column(m, 'voicing_prob'))).toBeGreaterThan(0.9);
    });
  }

  it('tracks a tone that changes pitch halfway', () => {
    const m = extractAcousticFeatures(Float32Array.from([...tone(150, 0.5), ...tone(250, 0.5)]));
    const f0 = column(m, 'f0_hz');
    expect(Math.abs(median(f0.slice(5, 40)) - 150)).toBeLessThan(2);
    expect(Math.abs(median(f0.slice(60, 90)) - 250)).toBeLessThan(2);
  });
});

describe('unvoiced input', () => {
  it('white noise: unvoiced frames, low voicing, high zero-crossing rate', () => {
    const m = extractAcousticFeatures(whiteNoise(2, 42));
    const f0 = column(m, 'f0_hz');
    expect(f0.filter((v) => v > 0).length / m.frames).toBeLessThan(0.05);
    expect(median(column(m, 'voicing_prob'))).toBeLessThan(0.5);
    expect(median(column(m, 'zcr'))).toBeGreaterThan(0.4);
    expect(allFinite(m)).toBe(true);
  });

  it('silence: finite values at the log floor, voicing 0, f0 0', () => {
    const m = extractAcousticFeatures(new Float32Array(RATE));
    expect(m.frames).toBe(98);
    expect(allFinite(m)).toBe(true);
    const floor = Math.fround(Math.log(DEFAULT_ACOUSTIC_RECIPE.logFloor));
    for (let b = 0; b < 40; b++) expect(column(m, `logmel_${b}`).every((v) => v === floor)).toBe(true);
    expect(column(m, 'log_energy').every((v) => v === floor)).toBe(true);
    expect(column(m, 'f0_hz').every((v) => v === 0)).toBe(true);
    expect(column(m, 'voicing_prob').every((v) => v === 0)).toBe(true);
    expect(column(m, 'zcr').every((v) => v === 0)).toBe(true);
    // A flat log-mel vector has only c0 = ln(floor) * sqrt(40).
    expect(column(m, 'mfcc_0')[0]).toBeCloseTo(Math.log(DEFAULT_ACOUSTIC_RECIPE.logFloor) * Math.sqrt(40), 4);
    for (let i = 1; i < 13; i++) expect(Math.abs(column(m, `mfcc_${i}`)[0])).toBeLessThan(1e-5);
  });

  it('replaces NaN / infinite samples by zeros instead of emitting NaN rows', () => {
    const x = tone(200, 0.2);
    x[1000] = Number.NaN;
    x[2000] = Number.POSITIVE_INFINITY;
    expect(allFinite(extractAcousticFeatures(x))).toBe(true);
  });
});

describe('energy', () => {
  it('log_energy of a sine of amplitude A is ln(A^2 / 2), and grows 6 dB-equivalent when A doubles', () => {
    const quiet = median(column(extractAcousticFeatures(tone(200, 0.5, 0.1)), 'log_energy'));
    const loud = median(column(extractAcousticFeatures(tone(200, 0.5, 0.2)), 'log_energy'));
    expect(quiet).toBeCloseTo(Math.log(0.01 / 2), 1);
    expect(loud - quiet).toBeCloseTo(Math.log(4), 2);
  });
});

describe('framing (snip-edges: no padding)', () => {
  it('yields floor((N - 400) / 160) + 1 frames, zero below one frame', () => {
    for (const n of [0, 1, 399, 400, 401, 559, 560, 16000, 16001, 33333]) {
      const expected = n < 400 ? 0 : Math.floor((n - 400) / 160) + 1;
      const m = extractAcousticFeatures(whiteNoise(n / RATE, n));
      expect(m.frames, `N = ${n}`).toBe(expected);
      expect(m.data.length).toBe(expected * m.dims);
    }
  });

  it('a segment cut on a hop boundary has the same spectral frames as the whole signal', () => {
    const x = Float32Array.from([...whiteNoise(0.5, 5), ...tone(180, 0.5)]);
    const whole = extractAcousticFeatures(x);
    const part = extractAcousticFeatures(x.subarray(160 * 30, 160 * 30 + 8000));
    const spectral = 40 + 13; // log-mel and MFCC read only the frame's own samples
    for (let t = 0; t < part.frames; t++) {
      for (let c = 0; c < spectral; c++) expect(part.data[t * part.dims + c]).toBe(whole.data[(t + 30) * whole.dims + c]);
    }
  });
});

describe('streaming', () => {
  it('random chunk sizes give exactly the same matrix as one-shot extraction', () => {
    const x = Float32Array.from([...tone(140, 0.7), ...whiteNoise(0.6, 9), ...new Float32Array(3000), ...tone(260, 0.45)]);
    const oneShot = extractAcousticFeatures(x);
    const rnd = seeded(2024);
    for (let trial = 0; trial < 5; trial++) {
      const extractor = new AcousticExtractor();
      let at = 0;
      while (at < x.length) {
        const size = trial === 0 ? 1 + Math.floor(rnd() * 7) : 1 + Math.floor(rnd() * 5000);
        // A fresh copy per chunk, then scribbled over: the extractor must not keep it.
        const chunk = x.slice(at, at + size);
        extractor.push(chunk);
        chunk.fill(123);
        at += size;
      }
      const streamed = extractor.finish();
      expect(streamed.frames).toBe(oneShot.frames);
      expect(streamed.names).toEqual(oneShot.names);
      expect(Buffer.from(streamed.data.buffer).equals(Buffer.from(oneShot.data.buffer))).toBe(true);
    }
  });

  it('counts frames as they become ready and refuses pushes after finish()', () => {
    const extractor = new AcousticExtractor();
    extractor.push(new Float32Array(400 + 267 + 1));
    expect(extractor.framesReady).toBe(1);
    extractor.push(new Float32Array(159));
    expect(extractor.framesReady).toBe(1);
    extractor.push(new Float32Array(1));
    expect(extractor.framesReady).toBe(2);
    const m = extractor.finish();
    expect(m.frames).toBe(Math.floor((828 - 400) / 160) + 1);
    expect(() => extractor.push(new Float32Array(10))).toThrow(/after finish/);
  });

  it('refuses a recipe it does not implement', () => {
    expect(() => new AcousticExtractor({ ...DEFAULT_ACOUSTIC_RECIPE, window: 'hamming' as 'hann' })).toThrow(/window "hamming"/);
  });
});

describe('utteranceStatistics', () => {
  it('returns null for a segment shorter than one frame', () => {
    expect(utteranceStatistics(extractAcousticFeatures(new Float32Array(399)))).toBeNull();
  });

  it('computes mean/std/min/max per column and voiced-only F0', () => {
    // 0.5 s of 200 Hz, then 0.5 s of silence: about half the frames voiced.
    const m = extractAcousticFeatures(Float32Array.from([...tone(200, 0.5), ...new Float32Array(8000)]));
    const stats = utteranceStatistics(m)!;
    expect(stats.values.length).toBe(stats.names.length);
    expect(stats.values.every((v) => Number.isFinite(v))).toBe(true);
    const get = (name: string) => stats.values[stats.names.indexOf(name)];

    const energy = column(m, 'log_energy');
    const mean = energy.reduce((s, v) => s + v, 0) / energy.length;
    const std = Math.sqrt(energy.reduce((s, v) => s + (v - mean) ** 2, 0) / energy.length);
    expect(get('log_energy_mean')).toBeCloseTo(mean, 4);
    expect(get('log_energy_std')).toBeCloseTo(std, 4);
    expect(get('log_energy_min')).toBe(Math.min(...energy));
    expect(get('log_energy_max')).toBe(Math.max(...energy));

    const f0 = column(m, 'f0_hz');
    const voiced = f0.filter((v) => v > 0);
    expect(get('voiced_ratio')).toBeCloseTo(voiced.length / m.frames, 6);
    expect(get('voiced_ratio')).toBeGreaterThan(0.4);
    expect(get('voiced_ratio')).toBeLessThan(0.6);
    expect(Math.abs(get('f0_hz_voiced_mean') - 200)).toBeLessThan(2);
    expect(get('f0_hz_voiced_std')).toBeLessThan(5);
    // The plain mean includes the unvoiced zeros.
    expect(get('f0_hz_mean')).toBeLessThan(150);
  });

  it('the active block leaves out the frames 30 dB below the loudest: a tone with a silent half reads as all voice', () => {
    const m = extractAcousticFeatures(Float32Array.from([...tone(200, 0.5), ...new Float32Array(8000)]));
    const stats = utteranceStatistics(m)!;
    const get = (name: string) => stats.values[stats.names.indexOf(name)];
    const energy = column(m, 'log_energy');
    const loudest = Math.max(...energy);
    const active = energy.filter((v) => v >= loudest - 3 * Math.LN10);
    expect(active.length).toBeLessThan(m.frames * 0.6);
    expect(get('active_log_energy_min')).toBe(Math.min(...active));
    expect(get('active_log_energy_max')).toBe(loudest);
    const mean = active.reduce((s, v) => s + v, 0) / active.length;
    expect(get('active_log_energy_mean')).toBeCloseTo(mean, 4);
    // The silence dragged the all-frame figures; the active ones see the tone alone.
    expect(get('voiced_ratio')).toBeLessThan(0.6);
    expect(get('active_voiced_ratio')).toBeGreaterThan(0.9);
    expect(Math.abs(get('active_f0_hz_voiced_mean') - 200)).toBeLessThan(2);
    expect(get('active_log_energy_std')).toBeLessThan(get('log_energy_std'));
  });

  it('silence: all statistics finite, voiced statistics 0', () => {
    const stats = utteranceStatistics(extractAcousticFeatures(new Float32Array(8000)))!;
    expect(stats.values.every((v) => Number.isFinite(v))).toBe(true);
    const get = (name: string) => stats.values[stats.names.indexOf(name)];
    expect(get('voiced_ratio')).toBe(0);
    expect(get('f0_hz_voiced_mean')).toBe(0);
    expect(get('f0_hz_voiced_std')).toBe(0);
    expect(get('logmel_0_std')).toBe(0);
  });
});
