// Transcripts attached to real media in a real project file: SRT cues put their words on
// the timeline; plain text (and a CSV without times) is spread over the speech Silero VAD
// finds, or over the media's segments, and marked unaligned; bad files are refused whole.

import { execFile, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentMediaByVad } from '../../src/core/analysis/segmentation';
import { resolveMediaTools } from '../../src/core/media';
import { addMediaFile } from '../../src/core/store';
import { importIntoProject } from '../../src/core/services/project-import';
import { ProjectStore } from '../../src/core/store';
import { parseCsv } from '../../src/shared/csv';
import type { Segment } from '../../src/shared/domain';
import { SentiscopeError } from '../../src/shared/errors';
import { MOSI_CLIP, MOSI_WAV, makeTempDir, removeTempDir } from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const run = promisify(execFile);
const ffmpeg = (args: string[]) => run(resolveMediaTools().ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args]);

/** The real transcript of the MOSI clip, from the shared segments file. */
function mosiClipText(): string {
  const { header, rows } = parseCsv(readFileSync(resolve('../shared/data/mosi/segments.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const row = rows.find((r) => r.cells[col('video_id')] === 'Oz06ZWiO20M' && r.cells[col('clip_id')] === '6');
  if (!row) throw new Error('Oz06ZWiO20M clip 6 is missing from ../shared/data/mosi/segments.csv');
  return row.cells[col('text')];
}

const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');

/** Every segment's words lie inside its span, in order, and spell its text. */
function expectWordsInside(segment: Segment): void {
  expect(segment.words, `segment ${segment.clipId}`).not.toBeNull();
  const ws = segment.words!;
  expect(ws.map((w) => w.word)).toEqual(words(segment.text));
  let at = segment.start;
  for (const w of ws) {
    expect(w.start).toBeGreaterThanOrEqual(segment.start);
    expect(w.end).toBeLessThanOrEqual(segment.end);
    expect(w.start).toBeGreaterThanOrEqual(at - 1e-9);
    expect(w.end).toBeGreaterThanOrEqual(w.start);
    at = w.end;
  }
  expect(ws[0].start).toBe(segment.start);
  expect(ws[ws.length - 1].end).toBe(segment.end);
}

async function rejection(call: () => Promise<unknown>): Promise<SentiscopeError> {
  try {
    await call();
  } catch (err) {
    if (err instanceof SentiscopeError) return err;
    throw err;
  }
  throw new Error('expected a SentiscopeError');
}

let dir: string;
let silence: string;
let speechGapSpeech: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-transcript-import-');
  silence = join(dir, 'silence.wav');
  await ffmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '4', silence]);
  // The MOSI wav, 3 s of silence, the MOSI wav again: two utterances for VAD.
  speechGapSpeech = join(dir, 'speech-gap-speech.wav');
  const mono = 'aresample=16000,aformat=sample_fmts=fltp:channel_layouts=mono';
  await ffmpeg([
    '-i',
    MOSI_WAV,
    '-f',
    'lavfi',
    '-t',
    '3',
    '-i',
    'anullsrc=r=16000:cl=mono',
    '-i',
    MOSI_WAV,
    '-filter_complex',
    `[0:a]${mono}[a0];[1:a]${mono}[a1];[2:a]${mono}[a2];[a0][a1][a2]concat=n=3:v=0:a=1[out]`,
    '-map',
    '[out]',
    speechGapSpeech,
  ]);
});
afterAll(() => removeTempDir(dir));

function openStore(name: string): ProjectStore {
  return ProjectStore.open(join(dir, `${name}.sentiscope`));
}

describe('SRT / WebVTT', () => {
  it("puts an SRT's words for the MOSI clip on the timeline, each inside its cue", async () => {
    const srt = join(dir, 'mosi.srt');
    writeFileSync(
      srt,
      '1\n00:00:00,066 --> 00:00:03,400\nand sucker punch is a failer but like\n\n' +
        '2\n00:00:03,400 --> 00:00:07,380\na <i>really</i> ambitious weird the interesting\nidiosyncratic failure\n',
    );
    const store = openStore('srt');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const report = await importIntoProject(store, { format: 'srt', path: srt, mediaId: media.id });
      expect(report).toMatchObject({ format: 'srt', segments: 2, labels: 0 });
      const segments = store.listSegments(media.id);
      expect(segments.map((s) => [s.start, s.end, s.source, s.aligned])).toEqual([
        [0.066, 3.4, 'import', true],
        [3.4, 7.38, 'import', true],
      ]);
      expect(segments.map((s) => s.text).join(' ')).toBe(mosiClipText());
      for (const s of segments) expectWordsInside(s);
      // Longer words get more time: "idiosyncratic" outlasts "a".
      const second = segments[1].words!;
      const len = (w: string) => second.find((x) => x.word === w)!;
      expect(len('idiosyncratic').end - len('idiosyncratic').start).toBeGreaterThan(len('a').end - len('a').start);
    } finally {
      store.close();
    }
  });

  it('gives an empty cue no words and keeps its span', async () => {
    const vtt = join(dir, 'gap.vtt');
    writeFileSync(vtt, 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n\n00:00:02.000 --> 00:00:03.000\nhello there\n');
    const store = openStore('vtt');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      await importIntoProject(store, { format: 'vtt', path: vtt, mediaId: media.id });
      const [empty, spoken] = store.listSegments(media.id);
      expect([empty.start, empty.end, empty.text, empty.words]).toEqual([1, 2, '', null]);
      expect(spoken.words).toEqual([
        { word: 'hello', start: 2, end: 2.5 },
        { word: 'there', start: 2.5, end: 3 },
      ]);
    } finally {
      store.close();
    }
  });
});

describe('plain text', () => {
  it("spreads the MOSI clip's real transcript over the speech VAD finds, in order, unaligned", async () => {
    const txt = join(dir, 'mosi.txt');
    const text = mosiClipText();
    writeFileSync(txt, text + '\n');
    const vad = await segmentMediaByVad(MOSI_CLIP);
    expect(vad.segments.length).toBeGreaterThan(0);

    const store = openStore('txt-mosi');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const report = await importIntoProject(store, { format: 'txt', path: txt, mediaId: media.id });
      const segments = store.listSegments(media.id);
      expect(report.segments).toBe(segments.length);
      expect(segments.map((s) => [s.start, s.end])).toEqual(vad.segments.map((s) => [s.start, s.end]));
      // The speech of this clip runs nearly its whole 7.4 s.
      const covered = segments.reduce((sum, s) => sum + (s.end - s.start), 0);
      expect(covered).toBeGreaterThan(0.8 * media.probe!.duration);
      expect(segments.every((s) => !s.aligned && s.source === 'import')).toBe(true);
      expect(segments.flatMap((s) => s.words!.map((w) => w.word))).toEqual(words(text));
      for (const s of segments) expectWordsInside(s);
    } finally {
      store.close();
    }
  });

  it('shares two sentences between two utterances, cutting at the sentence end', async () => {
    const txt = join(dir, 'twice.txt');
    writeFileSync(txt, 'Anyhow it was really good. Anyhow, it was really good!');
    const store = openStore('txt-two');
    try {
      const media = await addMediaFile(store, speechGapSpeech);
      await importIntoProject(store, { format: 'txt', path: txt, mediaId: media.id });
      const segments = store.listSegments(media.id);
      expect(segments.map((s) => s.text)).toEqual(['Anyhow it was really good.', 'Anyhow, it was really good!']);
      // The silence in the middle (about 4 s to 7 s) is in neither segment.
      expect(segments[0].end).toBeLessThan(5);
      expect(segments[1].start).toBeGreaterThan(6);
      expect(segments.every((s) => !s.aligned)).toBe(true);
    } finally {
      store.close();
    }
  });

  it('makes one unaligned segment over a silent file', async () => {
    const txt = join(dir, 'silent.txt');
    writeFileSync(txt, 'nobody said this\nout loud\n');
    const store = openStore('txt-silent');
    try {
      const media = await addMediaFile(store, silence);
      await importIntoProject(store, { format: 'txt', path: txt, mediaId: media.id });
      const segments = store.listSegments(media.id);
      expect(segments).toHaveLength(1);
      expect(segments[0]).toMatchObject({ start: 0, text: 'nobody said this out loud', aligned: false, source: 'import' });
      expect(segments[0].end).toBeCloseTo(4, 1);
      expectWordsInside(segments[0]);
    } finally {
      store.close();
    }
  });

  it("spreads over the media's own segments when it has some, keeping their spans and sources", async () => {
    const txt = join(dir, 'over-existing.txt');
    writeFileSync(txt, 'one two three four five six seven eight');
    const store = openStore('txt-existing');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const a = store.createSegment({ mediaId: media.id, start: 0, end: 1, source: 'manual' });
      const b = store.createSegment({ mediaId: media.id, start: 2, end: 5, source: 'vad' });
      await importIntoProject(store, { format: 'txt', path: txt, mediaId: media.id });
      const segments = store.listSegments(media.id);
      expect(segments.map((s) => [s.id, s.start, s.end, s.source, s.text, s.aligned])).toEqual([
        [a.id, 0, 1, 'manual', 'one two', false],
        [b.id, 2, 5, 'vad', 'three four five six seven eight', false],
      ]);
      for (const s of segments) expectWordsInside(s);
      // The annotator fixes a boundary: the segment is aligned again.
      expect(store.updateSegment(b.id, { end: 4.5 }).aligned).toBe(true);
    } finally {
      store.close();
    }
  });

  it('refuses an empty file, naming it, and writes nothing', async () => {
    const txt = join(dir, 'empty.txt');
    writeFileSync(txt, '  \n\n');
    const store = openStore('txt-empty');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const err = await rejection(() => importIntoProject(store, { format: 'txt', path: txt, mediaId: media.id }));
      expect(err.code).toBe('bad-file');
      expect(err.message).toContain(txt);
      expect(err.message).toMatch(/no words/);
      expect(store.listSegments(media.id)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('refuses a transcript without its media', async () => {
    const txt = join(dir, 'mosi.txt');
    const store = openStore('txt-nomedia');
    try {
      const err = await rejection(() => importIntoProject(store, { format: 'txt', path: txt }));
      expect(err.message).toContain('needs the media');
    } finally {
      store.close();
    }
  });
});

describe('transcript CSV', () => {
  it('makes aligned segments from timed rows, with words', async () => {
    const csv = join(dir, 'timed.csv');
    writeFileSync(csv, 'start_s,end_s,text,speaker\n0.066,3.4,"and sucker punch, a failer",A\n3.4,7.38,a really ambitious failure,A\n');
    const store = openStore('csv-timed');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const report = await importIntoProject(store, { format: 'transcript-csv', path: csv, mediaId: media.id });
      expect(report.segments).toBe(2);
      const segments = store.listSegments(media.id);
      expect(segments.map((s) => [s.start, s.end, s.text, s.aligned])).toEqual([
        [0.066, 3.4, 'and sucker punch, a failer', true],
        [3.4, 7.38, 'a really ambitious failure', true],
      ]);
      for (const s of segments) expectWordsInside(s);
    } finally {
      store.close();
    }
  });

  it('refuses a file with a bad row whole, naming the line, and writes nothing', async () => {
    const csv = join(dir, 'bad.csv');
    writeFileSync(csv, 'start_s,end_s,text\n0,1,fine\n1,0.5,ends before it starts\n2,x,not a time\n');
    const store = openStore('csv-bad');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const err = await rejection(() => importIntoProject(store, { format: 'transcript-csv', path: csv, mediaId: media.id }));
      expect(err.code).toBe('bad-csv');
      expect(err.message).toContain(`${csv} line 3: end_s 0.5 is before start_s 1`);
      expect(err.message).toContain(`${csv} line 4: end_s "x" is not a number of seconds`);
      expect(store.listSegments(media.id)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('refuses a file mixing timed and untimed rows, naming the untimed ones', async () => {
    const csv = join(dir, 'mixed.csv');
    writeFileSync(csv, 'start_s,end_s,text\n0,1,fine\n,,no times here\n2,3,fine too\n');
    const store = openStore('csv-mixed');
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      const err = await rejection(() => importIntoProject(store, { format: 'transcript-csv', path: csv, mediaId: media.id }));
      expect(err.message).toContain(`${csv} line 3: this row has no times`);
      expect(store.listSegments(media.id)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('spreads rows without times like plain text, one row per utterance, unaligned', async () => {
    const csv = join(dir, 'untimed.csv');
    writeFileSync(csv, 'text\nAnyhow it was really good\nAnyhow it was really good\n');
    const store = openStore('csv-untimed');
    try {
      const media = await addMediaFile(store, speechGapSpeech);
      await importIntoProject(store, { format: 'transcript-csv', path: csv, mediaId: media.id });
      const segments = store.listSegments(media.id);
      expect(segments.map((s) => [s.text, s.aligned])).toEqual([
        ['Anyhow it was really good', false],
        ['Anyhow it was really good', false],
      ]);
    } finally {
      store.close();
    }
  });
});

describe('sentiscope import (CLI)', () => {
  const sentiscope = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });

  it('imports a plain transcript onto --media-file and marks it unaligned', () => {
    const project = join(dir, 'cli.sentiscope');
    const txt = join(dir, 'cli.txt');
    writeFileSync(txt, mosiClipText());
    const ran = sentiscope('import', '--project', project, '--format', 'txt', txt, '--media-file', MOSI_CLIP);
    expect(ran.status, ran.stderr).toBe(0);
    expect(JSON.parse(ran.stdout)).toMatchObject({ format: 'txt', segments: expect.any(Number) });
    const db = new Database(project, { readonly: true });
    try {
      const rows = db.prepare('SELECT text, aligned, source FROM segment ORDER BY start_s').all() as {
        text: string;
        aligned: number;
        source: string;
      }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.map((r) => r.text).join(' ')).toBe(mosiClipText());
      expect(rows.every((r) => r.aligned === 0 && r.source === 'import')).toBe(true);
    } finally {
      db.close();
    }
  });

  it('asks for --media or --media-file with a transcript format, and refuses them with a label format', () => {
    const txt = join(dir, 'cli.txt');
    const project = join(dir, 'cli-usage.sentiscope');
    const missing = sentiscope('import', '--project', project, '--format', 'transcript-csv', txt);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('--media NAME (an item of the project) or --media-file PATH');
    const extra = sentiscope('import', '--project', project, '--format', 'mosi', txt, '--media-file', MOSI_CLIP);
    expect(extra.status).not.toBe(0);
    expect(extra.stderr).toContain('--media and --media-file go with');
  });
});
