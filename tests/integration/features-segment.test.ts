// SegmentFeatureExtractor on real media: the MOSI clip with its transcript (all three
// modalities), an EmoDB wav (audio only), an MVSA image + tweet (text + face), generated
// clips that have nothing to give (silence, no face, no audio stream, not media), and bad
// ranges. Absence comes back with a reason; only a missing file throws.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { SentiscopeError } from '../../src/shared/errors';
import { LEXICON_FEATURE_NAMES } from '../../src/core/analysis/text';
import {
  AUDIO_STATISTICS_NAMES,
  SegmentFeatureExtractor,
  VISUAL_STATISTICS_NAMES,
} from '../../src/core/analysis/features/segment-features';
import {
  MOSI_CLIP,
  generateVideoOnly,
  generateVideoWithSilentAudio,
  makeTempDir,
  removeTempDir,
  textFileAsMedia,
} from '../helpers/generate-media';

const EMODB_WAV = resolve('../shared/data/emodb/wav/03a01Fa.wav');
// An MVSA dev image in which BlazeFace finds a face.
const MVSA_FACE = resolve('../shared/data/mvsa/images/4713.jpg');

function mosiTranscript(videoId: string, clipId: string): string {
  const { header, rows } = parseCsv(readFileSync(resolve('../shared/data/mosi/segments.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const row = rows.find((r) => r.cells[col('video_id')] === videoId && r.cells[col('clip_id')] === clipId);
  if (!row) throw new Error(`no transcript for ${videoId}_${clipId}`);
  return row.cells[col('text')];
}

const index = (names: readonly string[], name: string) => {
  const i = names.indexOf(name);
  if (i < 0) throw new Error(`no column ${name}`);
  return i;
};

let extractor: SegmentFeatureExtractor;
let dir: string;

beforeAll(async () => {
  extractor = await SegmentFeatureExtractor.create();
  dir = await makeTempDir('sentiscope-features-');
});
afterAll(async () => {
  extractor?.close();
  await removeTempDir(dir);
});

describe('SegmentFeatureExtractor', () => {
  it('gives all three modalities for the MOSI clip and its transcript', async () => {
    const text = mosiTranscript('Oz06ZWiO20M', '6');
    const features = await extractor.extract({ text, audio: { path: MOSI_CLIP }, visual: { path: MOSI_CLIP } });
    expect(features.absent).toEqual({});
    expect(features.text!.tokens.length).toBeGreaterThan(3);
    expect(features.text!.lexicon).toHaveLength(LEXICON_FEATURE_NAMES.length);
    expect(features.text!.lexicon[index(LEXICON_FEATURE_NAMES, 'token_count')]).toBe(features.text!.tokens.length);

    const audio = features.audio!.statistics;
    expect(audio).toHaveLength(AUDIO_STATISTICS_NAMES.length);
    expect(audio.every(Number.isFinite)).toBe(true);
    // A person speaking: a good share of voiced frames, F0 in the speech range.
    expect(audio[index(AUDIO_STATISTICS_NAMES, 'voiced_ratio')]).toBeGreaterThan(0.2);
    const f0 = audio[index(AUDIO_STATISTICS_NAMES, 'f0_hz_voiced_mean')];
    expect(f0).toBeGreaterThan(70);
    expect(f0).toBeLessThan(400);

    const visual = features.visual!.statistics;
    expect(visual).toHaveLength(VISUAL_STATISTICS_NAMES.length);
    expect(visual[index(VISUAL_STATISTICS_NAMES, 'face_ratio')]).toBeGreaterThan(0.8);
    const emotions = VISUAL_STATISTICS_NAMES.filter((n) => n.startsWith('emotion_')).map((n) => visual[index(VISUAL_STATISTICS_NAMES, n)]);
    expect(emotions).toHaveLength(7);
    expect(emotions.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    expect(visual[index(VISUAL_STATISTICS_NAMES, 'face_score_mean')]).toBeGreaterThan(0.65);
  });

  it('restricts audio and frames to the segment range', async () => {
    const whole = await extractor.extract({ audio: { path: MOSI_CLIP }, visual: { path: MOSI_CLIP } });
    const part = await extractor.extract({
      audio: { path: MOSI_CLIP, start: 1, end: 2.5 },
      visual: { path: MOSI_CLIP, start: 1, end: 2.5 },
    });
    expect(part.audio).not.toBeNull();
    expect(part.visual).not.toBeNull();
    expect(Array.from(part.audio!.statistics)).not.toEqual(Array.from(whole.audio!.statistics));
    expect(Array.from(part.visual!.statistics)).not.toEqual(Array.from(whole.visual!.statistics));
  });

  it('gives audio only for an EmoDB wav', async () => {
    const features = await extractor.extract({ audio: { path: EMODB_WAV } });
    expect(features.text).toBeNull();
    expect(features.visual).toBeNull();
    expect(features.absent).toEqual({ text: 'not given', visual: 'not given' });
    expect(features.audio!.statistics[index(AUDIO_STATISTICS_NAMES, 'voiced_ratio')]).toBeGreaterThan(0.1);
  });

  it('gives text and a face for an MVSA image post', async () => {
    const features = await extractor.extract({ text: 'So proud of her today! #graduation', visual: { path: MVSA_FACE } });
    expect(features.absent).toEqual({ audio: 'not given' });
    expect(features.text!.tokens).toEqual(['so', 'proud', 'of', 'her', 'today', '!', 'graduation']);
    // A still image is one frame: the face ratio is exactly 1.
    expect(features.visual!.statistics[0]).toBe(1);
  });

  it('marks a silent, faceless video absent in audio and visual', async () => {
    const video = await generateVideoWithSilentAudio(dir, { duration: 2 });
    const features = await extractor.extract({ text: '', audio: { path: video }, visual: { path: video } });
    expect(features.text).toBeNull();
    expect(features.audio).toBeNull();
    expect(features.visual).toBeNull();
    expect(features.absent).toEqual({ text: 'no text', audio: 'silent', visual: 'no face' });
  });

  it('marks a video with no audio stream, and a text file posing as media, absent with reasons', async () => {
    const silentVideo = await generateVideoOnly(dir, { duration: 1 });
    const noAudio = await extractor.extract({ audio: { path: silentVideo } });
    expect(noAudio.absent.audio).toBe('no audio stream');
    const fake = await textFileAsMedia(dir, 'fake.mp4');
    const broken = await extractor.extract({ audio: { path: fake }, visual: { path: fake } });
    expect(broken.audio).toBeNull();
    expect(broken.visual).toBeNull();
    expect(broken.absent.audio).toMatch(/^undecodable: .*fake\.mp4/);
    expect(broken.absent.visual).toMatch(/^undecodable: .*fake\.mp4/);
  });

  it('marks a zero-length range and a range shorter than one audio frame absent', async () => {
    const empty = await extractor.extract({ audio: { path: MOSI_CLIP, start: 2, end: 2 }, visual: { path: MOSI_CLIP, start: 2, end: 2 } });
    expect(empty.absent).toMatchObject({ audio: 'empty range', visual: 'empty range' });
    const tiny = await extractor.extract({ audio: { path: MOSI_CLIP, start: 2, end: 2.01 } });
    expect(tiny.absent.audio).toMatch(/too short/);
  });

  it('throws a SentiscopeError naming a missing file', async () => {
    const missing = join(dir, 'nope.mp4');
    const error = await extractor.extract({ text: 'hi', audio: { path: missing } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SentiscopeError);
    expect((error as SentiscopeError).code).toBe('file-missing');
    expect((error as SentiscopeError).file).toBe(missing);
    expect((error as SentiscopeError).message).toContain(missing);
  });

  it('refuses a text recipe this build does not compute', async () => {
    const recipe = structuredClone(extractor.textRecipe);
    recipe.tokenizer.version = 99;
    await expect(SegmentFeatureExtractor.create({ textRecipe: recipe })).rejects.toThrow(/tokenizer\.version/);
  });
});
