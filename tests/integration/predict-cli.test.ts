// `sentiscope predict` as a user runs it: the real bin on real MOSI, MVSA and EmoDB files
// and generated media, with the fixture pack (tests/fixtures/packs/tiny-late-fusion), and
// its output read by `sentiscope eval`.

import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { resolveMediaTools } from '../../src/core/media/media-tools';
import { providerUnavailable } from '../../src/core/models';
import {
  MOSI_CLIP,
  generateVideoOnly,
  generateVideoWithSilentAudio,
  makeTempDir,
  removeTempDir,
  textFileAsMedia,
  truncatedCopy,
} from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const PACK = resolve('tests/fixtures/packs/tiny-late-fusion');
const DATA = resolve('../shared/data');
const OUTPUT_COLUMNS = [
  'pred_score',
  'pred_label',
  'p_negative',
  'p_neutral',
  'p_positive',
  'contrib_text',
  'contrib_audio',
  'contrib_visual',
  'language',
  'ood_text',
  'ood_audio',
  'ood_visual',
];

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-predict-');
});
afterAll(() => removeTempDir(dir));

function sentiscope(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

async function writeCsv(name: string, header: string[], rows: string[][]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, [header, ...rows].map((r) => r.map(quote).join(',')).join('\n') + '\n');
  return path;
}

function predict(input: string, ...extra: string[]) {
  const out = input.replace(/\.csv$/, '.pred.csv');
  const run = sentiscope('predict', '--in', input, '--out', out, '--model', PACK, '--device', 'cpu', ...extra);
  expect(run.code, run.stderr).toBe(0);
  const { header, rows } = parseCsv(readFileSync(out, 'utf8'));
  const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r.cells[i]])));
  return { out, header, records, stderr: run.stderr };
}

/** Every row's numbers are well formed: score in range, probabilities summing to 1, label = argmax. */
function expectWellFormed(records: Record<string, string>[]) {
  for (const r of records) {
    const score = Number(r.pred_score);
    expect(Math.abs(score)).toBeLessThanOrEqual(3);
    const p = [r.p_negative, r.p_neutral, r.p_positive].map(Number);
    expect(Math.abs(p[0] + p[1] + p[2] - 1)).toBeLessThanOrEqual(2e-4);
    expect(r.pred_label).toBe(['negative', 'neutral', 'positive'][p.indexOf(Math.max(...p))]);
    for (const c of ['contrib_text', 'contrib_audio', 'contrib_visual']) expect(r[c]).toMatch(/^(-?\d+\.\d{4})?$/);
  }
}

function mosiRows(split: string, count: number): Record<string, string>[] {
  const { header, rows } = parseCsv(readFileSync(join(DATA, 'mosi/segments.csv'), 'utf8'));
  const records = rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r.cells[i]])));
  return records.filter((r) => r.split === split && r.text && r.label !== '').slice(0, count);
}

describe('sentiscope predict', () => {
  it('text only: MOSI transcripts, output columns exactly as the contract says, and eval reads it', async () => {
    const gold = mosiRows('dev', 8);
    const input = await writeCsv(
      'mosi-text.csv',
      ['video_id', 'clip_id', 'text', 'label', 'note'],
      gold.map((r) => [r.video_id, r.clip_id, r.text, r.label, 'carried']),
    );
    const { out, header, records, stderr } = predict(input);
    expect(header).toEqual(['video_id', 'clip_id', ...OUTPUT_COLUMNS, 'label', 'note']);
    expect(records.map((r) => `${r.video_id}/${r.clip_id}`)).toEqual(gold.map((r) => `${r.video_id}/${r.clip_id}`));
    expectWellFormed(records);
    for (const r of records) {
      expect(r.contrib_text).not.toBe('');
      expect([r.contrib_audio, r.contrib_visual]).toEqual(['', '']);
      expect(r.note).toBe('carried');
    }
    // Different texts, different scores: the text reaches the model.
    expect(new Set(records.map((r) => r.pred_score)).size).toBeGreaterThan(4);
    expect(stderr).toMatch(/model tiny-late-fusion@0\.0\.1 on cpu, 8 rows/);

    const goldFile = await writeCsv(
      'mosi-gold.csv',
      ['video_id', 'clip_id', 'label'],
      gold.map((r) => [r.video_id, r.clip_id, r.label]),
    );
    const evaluation = sentiscope('eval', '--gold', goldFile, '--pred', out, '--scheme', 'mosi');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    const metrics = JSON.parse(evaluation.stdout);
    expect(metrics.n).toBe(8);
    for (const key of ['acc2_has0', 'acc2_non0', 'f1_has0', 'f1_non0', 'acc7', 'mae', 'corr']) expect(metrics).toHaveProperty(key);
    const mae = gold.reduce((s, g, i) => s + Math.abs(Number(g.label) - Number(records[i].pred_score)), 0) / gold.length;
    expect(metrics.mae).toBeCloseTo(mae, 3);
  });

  it('text + image: MVSA posts relative to --base, and a face still; eval --scheme mvsa reads it', async () => {
    const { header: h, rows } = parseCsv(readFileSync(join(DATA, 'mvsa/posts.csv'), 'utf8'));
    const posts = rows
      .map((r) => Object.fromEntries(h.map((name, i) => [name, r.cells[i]])))
      .filter((p) => p.split === 'dev')
      .slice(0, 5);
    // A still of the MOSI speaker: an image with a face, so the visual modality is present.
    const face = join(dir, 'face.png');
    await promisify(execFile)(resolveMediaTools().ffmpeg.path, ['-v', 'error', '-y', '-ss', '3', '-i', MOSI_CLIP, '-frames:v', '1', face]);
    const input = await writeCsv(
      'mvsa.csv',
      ['id', 'text', 'image', 'label'],
      [...posts.map((p) => [p.id, p.text, p.image, p.label]), ['face-still', 'what a great day', face, 'positive']],
    );
    const { out, header, records, stderr } = predict(input, '--base', join(DATA, 'mvsa'));
    expect(header).toEqual(['id', ...OUTPUT_COLUMNS, 'label']);
    expectWellFormed(records);
    expect(records).toHaveLength(6);
    for (const r of records) expect(r.contrib_audio).toBe('');
    const still = records.find((r) => r.id === 'face-still')!;
    expect(still.contrib_visual).not.toBe('');
    expect(still.contrib_text).not.toBe('');
    // Posts whose image shows no face have the visual modality absent, said on stderr.
    for (const r of records.filter((r) => r.contrib_visual === ''))
      expect(stderr).toMatch(new RegExp(`\\(${r.id}\\): .*visual absent \\(no face\\)`));

    const evaluation = sentiscope('eval', '--gold', input, '--pred', out, '--scheme', 'mvsa');
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(JSON.parse(evaluation.stdout)).toMatchObject({ n: 6, acc: expect.any(Number), f1_weighted: expect.any(Number) });
  });

  it('audio only: EmoDB wavs', async () => {
    const files = ['03a01Fa.wav', '03a01Nc.wav', '03a01Wa.wav'];
    const input = await writeCsv(
      'emodb.csv',
      ['id', 'audio'],
      files.map((f) => [f.replace('.wav', ''), f]),
    );
    const { header, records } = predict(input, '--base', join(DATA, 'emodb/wav'));
    expect(header).toEqual(['id', ...OUTPUT_COLUMNS]);
    expectWellFormed(records);
    for (const r of records) {
      expect(r.contrib_audio).not.toBe('');
      expect([r.contrib_text, r.contrib_visual]).toEqual(['', '']);
    }
    expect(new Set(records.map((r) => r.pred_score)).size).toBe(3);
  });

  it('video with start/end, an empty segment, silent / faceless / audio-less / broken videos: absent modalities, not errors', async () => {
    const silent = await generateVideoWithSilentAudio(dir, { duration: 2 });
    const videoOnly = await generateVideoOnly(dir, { duration: 2 });
    const broken = await textFileAsMedia(dir, 'broken.mp4');
    const truncated = await truncatedCopy(MOSI_CLIP, dir, { fraction: 0.05 });
    const text = 'and sucker punch is a failer but like a really ambitious weird the interesting idiosyncratic failure';
    const input = await writeCsv(
      'video.csv',
      ['id', 'text', 'video', 'start_s', 'end_s'],
      [
        ['whole', text, MOSI_CLIP, '', ''],
        ['first-half', text, MOSI_CLIP, '0', '3.5'],
        ['second-half', text, MOSI_CLIP, '3.5', '7.5'],
        ['empty', text, MOSI_CLIP, '2', '2'],
        ['silent', 'ok', silent, '', ''],
        ['no-audio', '', videoOnly, '', ''],
        ['broken', 'bad', broken, '', ''],
        ['truncated', 'bad', truncated, '', ''],
      ],
    );
    const { records, stderr } = predict(input);
    expectWellFormed(records);
    const row = Object.fromEntries(records.map((r) => [r.id, r]));
    for (const id of ['whole', 'first-half', 'second-half']) {
      for (const c of ['contrib_text', 'contrib_audio', 'contrib_visual']) expect(row[id][c], `${id} ${c}`).not.toBe('');
    }
    expect(row['first-half'].pred_score).not.toBe(row['second-half'].pred_score);
    expect([row.empty.contrib_audio, row.empty.contrib_visual]).toEqual(['', '']);
    expect(row.empty.contrib_text).not.toBe('');
    expect(stderr).toMatch(/\(empty\): audio absent \(empty range\), visual absent \(empty range\)/);
    // Test pattern with digital silence: no speech, no face.
    expect([row.silent.contrib_audio, row.silent.contrib_visual]).toEqual(['', '']);
    expect(stderr).toMatch(/\(silent\): audio absent \(silent\), visual absent \(no face\)/);
    // No text, no audio stream, no face: nothing present, the score is the base.
    expect([row['no-audio'].contrib_text, row['no-audio'].contrib_audio, row['no-audio'].contrib_visual]).toEqual(['', '', '']);
    expect(stderr).toMatch(/\(no-audio\): text absent \(no text\), audio absent \(no audio stream\)/);
    for (const id of ['broken', 'truncated']) {
      expect([row[id].contrib_audio, row[id].contrib_visual], id).toEqual(['', '']);
      expect(row[id].contrib_text).not.toBe('');
    }
  });

  it('refuses a CSV naming a missing file, with its line, before predicting anything', async () => {
    const input = await writeCsv(
      'missing.csv',
      ['id', 'text', 'audio', 'start_s', 'end_s'],
      [
        ['a', 'fine', '', '', ''],
        ['b', 'gone', 'no-such.wav', '', ''],
        ['c', 'backwards', resolve(DATA, 'emodb/wav/03a01Fa.wav'), '2', '1'],
        ['a', 'again', '', '', ''],
      ],
    );
    const out = join(dir, 'missing.pred.csv');
    const run = sentiscope('predict', '--in', input, '--out', out, '--model', PACK);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${input} line 3: audio file no-such.wav does not exist (looked for ${join(dir, 'no-such.wav')})`);
    expect(run.stderr).toContain('line 4: end_s 1 is before start_s 2');
    expect(run.stderr).toContain('line 5: id a appears twice');
    expect(run.stderr).not.toContain('model tiny-late-fusion'); // refused before the model was opened
    expect(existsSync(out)).toBe(false);
  });

  it('names what is wrong with the model, the device and the arguments', async () => {
    const input = await writeCsv('one.csv', ['id', 'text'], [['1', 'good']]);
    const out = join(dir, 'one.pred.csv');
    const noPack = sentiscope('predict', '--in', input, '--out', out, '--model', join(dir, 'nowhere'));
    expect(noPack.code).toBe(1);
    expect(noPack.stderr).toContain(join(dir, 'nowhere', 'manifest.json'));
    const badDevice = sentiscope('predict', '--in', input, '--out', out, '--device', 'tpu');
    expect(badDevice.code).toBe(2);
    expect(badDevice.stderr).toContain('--device must be one of auto, cpu, cuda, webgpu, dml, coreml');
    if (providerUnavailable('cuda')) {
      const cuda = sentiscope('predict', '--in', input, '--out', out, '--model', PACK, '--device', 'cuda');
      expect(cuda.code).toBe(1);
      expect(cuda.stderr).toMatch(/on cuda: provider library not installed.*--onnxruntime-node-install=cuda12/);
    }
    const auto = sentiscope('predict', '--in', input, '--out', out, '--model', PACK, '--threads', '2');
    expect(auto.code, auto.stderr).toBe(0);
    expect(auto.stderr).toMatch(/sentiscope predict: model tiny-late-fusion@0\.0\.1 on \w+/);
    if (providerUnavailable('cuda')) expect(auto.stderr).toMatch(/cuda unavailable: provider library not installed/);
  });
});
