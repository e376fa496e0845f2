// The recipe a model pack records: column names, JSON round trip, mismatch messages, and
// refusal of recipes this build does not compute.

import { describe, expect, it } from 'vitest';
import {
  acousticFeatureNames,
  acousticFrameCount,
  acousticStatisticNames,
  DEFAULT_ACOUSTIC_RECIPE,
  describeRecipeMismatch,
  frameCenterSeconds,
  frameGeometry,
  parseAcousticRecipe,
  type AcousticRecipe,
} from '../../src/core/analysis/acoustic';
import { SentiscopeError } from '../../src/shared/errors';

const copy = (): AcousticRecipe => JSON.parse(JSON.stringify(DEFAULT_ACOUSTIC_RECIPE));

describe('acoustic recipe', () => {
  it('names every per-frame column in matrix order', () => {
    const names = acousticFeatureNames();
    expect(names.length).toBe(40 + 13 + 4);
    expect(names.slice(0, 2)).toEqual(['logmel_0', 'logmel_1']);
    expect(names[39]).toBe('logmel_39');
    expect(names[40]).toBe('mfcc_0');
    expect(names[52]).toBe('mfcc_12');
    expect(names.slice(53)).toEqual(['f0_hz', 'voicing_prob', 'log_energy', 'zcr']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('names statistics per column, then the voiced-only F0 statistics; then the same over active frames', () => {
    const names = acousticStatisticNames();
    expect(names.length).toBe(2 * (57 * 4 + 3));
    expect(names.slice(0, 4)).toEqual(['logmel_0_mean', 'logmel_0_std', 'logmel_0_min', 'logmel_0_max']);
    expect(names.slice(228, 231)).toEqual(['f0_hz_voiced_mean', 'f0_hz_voiced_std', 'voiced_ratio']);
    expect(names.slice(231)).toEqual(names.slice(0, 231).map((n) => `active_${n}`));
  });

  it('derives 400-sample frames, a 160-sample hop and the YIN lag range at 16 kHz', () => {
    expect(frameGeometry(DEFAULT_ACOUSTIC_RECIPE)).toEqual({ frameLength: 400, hop: 160, tauMin: 32, tauMax: 267, span: 668 });
    expect(acousticFrameCount(DEFAULT_ACOUSTIC_RECIPE, 399)).toBe(0);
    expect(acousticFrameCount(DEFAULT_ACOUSTIC_RECIPE, 400)).toBe(1);
    expect(acousticFrameCount(DEFAULT_ACOUSTIC_RECIPE, 559)).toBe(1);
    expect(acousticFrameCount(DEFAULT_ACOUSTIC_RECIPE, 560)).toBe(2);
    expect(acousticFrameCount(DEFAULT_ACOUSTIC_RECIPE, 16000)).toBe(98);
    expect(frameCenterSeconds(DEFAULT_ACOUSTIC_RECIPE, 0)).toBeCloseTo(0.0125, 12);
    expect(frameCenterSeconds(DEFAULT_ACOUSTIC_RECIPE, 10)).toBeCloseTo(0.1125, 12);
  });

  it('survives a JSON round trip (as in manifest.json) and parses back unchanged', () => {
    const fromJson = JSON.parse(JSON.stringify(DEFAULT_ACOUSTIC_RECIPE));
    expect(parseAcousticRecipe(fromJson)).toEqual(DEFAULT_ACOUSTIC_RECIPE);
    expect(describeRecipeMismatch(fromJson, DEFAULT_ACOUSTIC_RECIPE)).toBeNull();
  });

  it('describes each differing field, nested ones by dotted path', () => {
    const pack = copy();
    pack.hopMs = 20;
    pack.f0.threshold = 0.1;
    const message = describeRecipeMismatch(pack, DEFAULT_ACOUSTIC_RECIPE);
    expect(message).toBe('f0.threshold: pack expects 0.1, this build computes 0.15; hopMs: pack expects 20, this build computes 10');
  });

  it('names fields present on one side only', () => {
    const pack = { ...copy(), deltas: 2 } as unknown;
    expect(describeRecipeMismatch(pack, DEFAULT_ACOUSTIC_RECIPE)).toBe('deltas: pack expects 2, this build computes (absent)');
  });

  it('refuses recipes it does not implement, listing every reason and the manifest file', () => {
    const pack = copy() as unknown as Record<string, unknown>;
    pack.window = 'hamming';
    pack.melScale = 'slaney';
    (pack.f0 as Record<string, unknown>).method = 'pyin';
    pack.deltas = 2;
    let error: unknown;
    try {
      parseAcousticRecipe(pack, '/packs/x/manifest.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SentiscopeError);
    const e = error as SentiscopeError;
    expect(e.code).toBe('bad-model');
    expect(e.file).toBe('/packs/x/manifest.json');
    expect(e.message).toContain('unknown field "deltas"');
    // Unknown fields are reported first; with them fixed the value problems show.
    delete pack.deltas;
    expect(() => parseAcousticRecipe(pack)).toThrow(/window "hamming".*melScale "slaney".*f0.method "pyin"/);
  });

  it('refuses geometry it cannot compute', () => {
    const cases: Array<[(r: AcousticRecipe) => void, RegExp]> = [
      [(r) => (r.version = 2), /version 2/],
      [(r) => (r.nFft = 500), /nFft 500/],
      [(r) => (r.nFft = 256), /longer than nFft/],
      [(r) => (r.hopMs = 10.03), /hopMs 10.03 is not a whole number/],
      [(r) => (r.fMax = 9000), /fMax 9000/],
      [(r) => (r.mfcc = 41), /mfcc 41/],
      [(r) => (r.melBins = 128), /mel bands .* contain no FFT bin/],
      [(r) => (r.f0.minHz = 600), /f0.minHz 600/],
      [(r) => (r.logFloor = 0), /logFloor 0/],
    ];
    for (const [change, reason] of cases) {
      const r = copy();
      change(r);
      expect(() => parseAcousticRecipe(r), String(reason)).toThrow(reason);
    }
  });

  it('accepts a different but implementable recipe (64 mel bands, 20 ms hop)', () => {
    const r = copy();
    r.melBins = 64;
    r.hopMs = 20;
    expect(parseAcousticRecipe(r).melBins).toBe(64);
    expect(acousticFeatureNames(r).length).toBe(64 + 13 + 4);
  });
});
