// Whisper speech recognition end to end on a tiny Whisper the test builds itself
// (scripts/tiny-models/make_tiny_whisper.py: Whisper's architecture at toy size, fitted to the
// two real MOSI clips, exported in the Hugging Face ONNX layout). Known answers make the
// checks real: the loading, transformers.js' decoding loop with the key/value cache, language
// selection (English vs Chinese prompts give different texts), the tokenizer, word timestamps,
// the CLI (`transcribe`, `analyze --asr`) and the errors for incomplete folders.

import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhisperRecognizer, inspectWhisperFolder, packWindows, joinWords, transcribeMedia } from '../../src/core/asr';
import { decodeAudioToArray, resolveMediaTools } from '../../src/core/media';
import { ProjectStore } from '../../src/core/store';
import { parseSrt } from '../../src/shared/subtitles';
import { SentiscopeError } from '../../src/shared/errors';
import { MOSI_CLIP, MOSI_WAV, generateVideoOnly, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { tinyWhisperFolder, tinyWhisperUnavailable } from '../helpers/tiny-whisper';
import { runSentiscope } from '../helpers/sentiscope-cli';

const unavailable = tinyWhisperUnavailable();
const hasTorch = unavailable === null;
if (!hasTorch) console.warn(`asr-whisper: SKIPPED — ${unavailable}`);

const WAV_EN = 'anyhow it was really good';
const CLIP_EN = 'and sucker punch is a failer but like a really ambitious weird the interesting idiosyncratic failure';
const CLIP_ZH = '这部电影失败了但是很有野心';

const sentiscope = (args: string[]) => runSentiscope(args);

function inOrderWithin(words: { start: number; end: number }[], from: number, to: number): void {
  let previous = from;
  for (const w of words) {
    expect(w.start).toBeGreaterThanOrEqual(previous - 1e-9);
    expect(w.end).toBeGreaterThanOrEqual(w.start);
    expect(w.end).toBeLessThanOrEqual(to + 1e-9);
    previous = w.start;
  }
}

describe.skipIf(!hasTorch)('Whisper speech recognition (tiny model built by the test)', () => {
  let dir = '';
  let model = '';
  let recognizer: WhisperRecognizer;

  beforeAll(async () => {
    dir = await makeTempDir('sentiscope-asr-');
    // Built once into os.tmpdir() and shared with the e2e test (never written to here: the
    // tests below change copies of it).
    model = await tinyWhisperFolder();
    recognizer = await WhisperRecognizer.open(model);
  }, 600_000);
  afterAll(async () => {
    await recognizer?.dispose();
    await removeTempDir(dir);
  });

  it('reads the folder: languages, window, word timestamps', () => {
    const folder = inspectWhisperFolder(model);
    expect(folder.languages).toEqual(['en', 'zh']);
    expect(folder.multilingual).toBe(true);
    expect(folder.chunkSeconds).toBe(10);
    expect(folder.wordTimestamps).toBe(true);
    expect(folder.subfolder).toBe('');
  });

  it('transcribes real audio with the language asked for, with word times in order', async () => {
    const wav = await decodeAudioToArray(MOSI_WAV);
    const en = await recognizer.recognize(wav, { language: 'en' });
    expect(en.text).toBe(WAV_EN);
    expect(en.words.map((w) => w.word)).toEqual(WAV_EN.split(' '));
    inOrderWithin(en.words, 0, wav.length / 16000);
    const zh = await recognizer.recognize(wav, { language: 'zh', words: false });
    expect(zh.text).toBe('总之真的很好');
    expect(zh.words).toEqual([]);
    // The other clip's audio gives the other clip's text: the model listens, it does not recite.
    const clip = await decodeAudioToArray(MOSI_CLIP);
    expect((await recognizer.recognize(clip, { language: 'en', words: false })).text).toBe(CLIP_EN);
  });

  it('agrees with torch greedy decoding of the same model (the library decoding loop and cache)', async () => {
    const expected = JSON.parse(readFileSync(join(model, 'expected.json'), 'utf8')) as {
      cases: { clip: string; language: string; text: string; torch_greedy_ids: number[]; fitted_ids: number[] }[];
    };
    for (const c of expected.cases) {
      // torch's own greedy decoding reproduces the fitted text for every case...
      expect(c.torch_greedy_ids).toEqual(c.fitted_ids);
      // ...and so does transformers.js on audio decoded by the app.
      const got = await recognizer.recognize(await decodeAudioToArray(c.clip), { language: c.language, words: false });
      expect(got.text).toBe(c.text);
    }
  });

  it('transcribes a media file over its voice activity, words in file time', async () => {
    const transcript = await transcribeMedia(MOSI_CLIP, recognizer, { language: 'en' });
    expect(transcript.language).toBe('en');
    expect(transcript.spans.length).toBeGreaterThanOrEqual(1);
    expect(transcript.spans.map((s) => s.text).join(' ')).toBe(CLIP_EN);
    inOrderWithin(transcript.words, transcript.spans[0].start, transcript.duration);
    for (const span of transcript.spans) for (const w of span.words) expect(span.text).toContain(w.word);
  });

  it('transcribes media longer than the model window: one window per stretch of speech, words shifted to file time', async () => {
    // The 3.33 s wav three times with 4 s of silence between: 18 s of audio, more than the tiny
    // model's 10 s window. The spans are given (as a job gives its segments), so each copy is one
    // window: packed windows never exceed what the model reads.
    const long = join(dir, 'three-times.wav');
    const silence = 'anullsrc=channel_layout=mono:sample_rate=16000';
    await promisify(execFile)(resolveMediaTools().ffmpeg.path, [
      '-v',
      'error',
      '-y',
      '-i',
      MOSI_WAV,
      '-f',
      'lavfi',
      '-t',
      '4',
      '-i',
      silence,
      '-filter_complex',
      '[0:a]aresample=16000,aformat=channel_layouts=mono,asplit=3[a][b][c];[1:a]asplit=2[s1][s2];[a][s1][b][s2][c]concat=n=5:v=0:a=1[out]',
      '-map',
      '[out]',
      long,
    ]);
    const copy = 3.330625;
    const spans = [0, 1, 2].map((k) => ({ start: k * (copy + 4), end: k * (copy + 4) + copy }));
    expect(packWindows(spans, recognizer.folder.chunkSeconds)).toHaveLength(3);
    const transcript = await transcribeMedia(long, recognizer, { language: 'en', spans });
    expect(transcript.duration).toBeGreaterThan(recognizer.folder.chunkSeconds);
    expect(transcript.spans.map((s) => s.text)).toEqual([WAV_EN, WAV_EN, WAV_EN]);
    transcript.spans.forEach((span, k) => inOrderWithin(span.words, spans[k].start, spans[k].end));
  });

  it('refuses a file without audio, naming it', async () => {
    const silent = await generateVideoOnly(dir, { name: 'no-audio.mp4' });
    await expect(transcribeMedia(silent, recognizer)).rejects.toThrow(/no-audio\.mp4/);
  });

  it('runs the Hub layout (ONNX files under onnx/) the same way', async () => {
    const hub = join(dir, 'hub-layout');
    cpSync(model, hub, { recursive: true });
    mkdirSync(join(hub, 'onnx'));
    for (const f of ['encoder_model.onnx', 'decoder_model_merged.onnx']) renameSync(join(hub, f), join(hub, 'onnx', f));
    expect(inspectWhisperFolder(hub).subfolder).toBe('onnx');
    const other = await WhisperRecognizer.open(hub);
    try {
      expect((await other.recognize(await decodeAudioToArray(MOSI_WAV), { language: 'en' })).text).toBe(WAV_EN);
    } finally {
      await other.dispose();
    }
  });

  it('refuses a folder missing any file, naming it, before loading anything', async () => {
    for (const name of [
      'encoder_model.onnx',
      'decoder_model_merged.onnx',
      'tokenizer.json',
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer_config.json',
    ]) {
      const broken = join(dir, `without-${name}`);
      cpSync(model, broken, { recursive: true });
      rmSync(join(broken, name));
      const err = await WhisperRecognizer.open(broken).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err, name).toBeInstanceOf(SentiscopeError);
      expect((err as SentiscopeError).code).toBe('file-missing');
      expect((err as SentiscopeError).message).toContain(join(broken, name));
      rmSync(broken, { recursive: true });
    }
  });

  it('refuses a language the model does not know and a damaged model file', async () => {
    const wav = await decodeAudioToArray(MOSI_WAV);
    await expect(recognizer.recognize(wav, { language: 'de' })).rejects.toThrow(/no language "de": it knows en, zh/);
    const damaged = join(dir, 'damaged');
    cpSync(model, damaged, { recursive: true });
    writeFileSync(join(damaged, 'decoder_model_merged.onnx'), 'not an onnx file');
    await expect(WhisperRecognizer.open(damaged)).rejects.toThrow(/Cannot load the Whisper model in .*damaged/);
  });

  it('packs speech spans into windows no longer than the model reads, and joins CJK words without spaces', () => {
    expect(
      packWindows(
        [
          { start: 0.5, end: 3 },
          { start: 4, end: 9 },
          { start: 9.5, end: 12 },
          { start: 30, end: 55 },
        ],
        10,
      ),
    ).toEqual([
      { start: 0.5, end: 9 },
      { start: 9.5, end: 12 },
      { start: 30, end: 55 },
    ]);
    expect(
      joinWords([
        { word: '总之', start: 0, end: 1 },
        { word: '很好', start: 1, end: 2 },
        { word: 'ok', start: 2, end: 3 },
      ]),
    ).toBe('总之很好 ok');
  });

  it('sentiscope transcribe writes SRT and JSON with word times', async () => {
    const srt = join(dir, 'clip.srt');
    const r = await sentiscope(['transcribe', MOSI_CLIP, '--asr', model, '--language', 'en', '--out', srt]);
    expect(r.code, r.stderr).toBe(0);
    const cues = parseSrt(readFileSync(srt, 'utf8'));
    expect(cues.map((c) => c.text).join(' ')).toBe(CLIP_EN);
    // With --out, stdout is the summary.
    expect(JSON.parse(r.stdout)).toMatchObject({ out: srt, format: 'srt', utterances: cues.length });
    // Without --out the transcript itself is stdout, JSON unless --format says otherwise.
    const json = await sentiscope(['transcribe', MOSI_CLIP, '--asr', model, '--language', 'zh']);
    expect(json.code, json.stderr).toBe(0);
    const transcript = JSON.parse(json.stdout) as { language: string; words: { word: string; start: number; end: number }[] };
    expect(transcript.language).toBe('zh');
    expect(transcript.words.map((w) => w.word).join('')).toBe(CLIP_ZH);
    const missing = await sentiscope(['transcribe', MOSI_CLIP, '--asr', join(dir, 'nowhere')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(join(dir, 'nowhere'));
    // The old spelling still runs the recognizer this release, with a warning.
    const old = await sentiscope(['transcribe', MOSI_CLIP, '--model', model, '--language', 'en', '--format', 'txt']);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toContain('sentiscope transcribe: --model is deprecated; use --asr');
    expect(old.stdout.trim().split('\n').join(' ')).toBe(CLIP_EN);
  }, 120_000);

  it('sentiscope analyze --asr fills segments without text (words and times) and keeps typed text', async () => {
    const project = join(dir, 'asr.sentiscope');
    const r = await sentiscope(['analyze', MOSI_CLIP, MOSI_WAV, '--asr', model, '--project', project, '--out', join(dir, 'rows.csv')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/transcribed 1 of 1 segments/);
    const store = ProjectStore.open(project);
    try {
      const texts = store.listMedia().map((m) =>
        store
          .listSegments(m.id)
          .map((s) => s.text)
          .join(' '),
      );
      expect(texts.sort()).toEqual([CLIP_EN, WAV_EN].sort());
      const wavMedia = store.listMedia().find((m) => m.path?.endsWith('.wav'))!;
      const [segment] = store.listSegments(wavMedia.id);
      expect(segment.words?.map((w) => w.word)).toEqual(WAV_EN.split(' '));
      inOrderWithin(segment.words!, segment.start, segment.end);
      const predictions = store.listPredictions(wavMedia.id);
      expect(predictions[0].contributions?.text).not.toBeNull();
      // A person's text is never replaced by the recognizer.
      store.updateSegment(segment.id, { text: 'typed by a person' });
    } finally {
      store.close();
    }
    const again = await sentiscope(['analyze', MOSI_WAV, '--asr', model, '--project', project]);
    expect(again.code, again.stderr).toBe(0);
    const reopened = ProjectStore.open(project);
    try {
      const wavMedia = reopened.listMedia().find((m) => m.path?.endsWith('.wav'))!;
      expect(reopened.listSegments(wavMedia.id)[0].text).toBe('typed by a person');
    } finally {
      reopened.close();
    }
    expect(existsSync(join(dir, 'rows.csv'))).toBe(true);
  }, 180_000);
});
