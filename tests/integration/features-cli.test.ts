// `sentiscope features` end to end: a tiny CSV of real media (MOSI clip, EmoDB wav, MVSA
// image) and text, through the real bin, to the files training reads.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpyFloat32 } from '../../src/core/io/npy';
import { parseCsv } from '../../src/shared/csv';
import { AUDIO_STATISTICS_NAMES, VISUAL_STATISTICS_NAMES } from '../../src/core/analysis/features/segment-features';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const DATA = resolve('../shared/data');

function sentiscope(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const npy = (dir: string, name: string) => decodeNpyFloat32(readFileSync(join(dir, name)), name);

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-features-cli-');
});
afterAll(async () => {
  await removeTempDir(dir);
});

describe('sentiscope features', () => {
  it('writes rows.csv, tokens.jsonl, the .npy matrices and features.json', () => {
    const input = join(dir, 'in.csv');
    writeFileSync(
      input,
      [
        'id,text,image,audio,video,start_s,end_s,label,score',
        'clip,"but it was, a little boring",,,mosi/media/Oz06ZWiO20M_6.mp4,0.5,6.5,negative,-0.8',
        'wav,,,emodb/wav/03a01Fa.wav,,,,negative,',
        'post,So proud of her today!,mvsa/images/4713.jpg,,,,,positive,',
        'words,"I DIDN\'T like it",,,,,,negative,-2',
      ].join('\n') + '\n',
    );
    const out = join(dir, 'out');
    const run = sentiscope('features', '--in', input, '--out', out, '--base', DATA);
    expect(run.stderr).toMatch(/features: 4\/4 rows/);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rows: 4, present: { text: 3, audio: 2, visual: 2 } });

    const rows = parseCsv(readFileSync(join(out, 'rows.csv'), 'utf8'));
    expect(rows.header).toEqual([
      'id',
      'label',
      'score',
      'present_text',
      'present_audio',
      'present_visual',
      'absent_text',
      'absent_audio',
      'absent_visual',
    ]);
    expect(rows.rows.map((r) => r.cells)).toEqual([
      ['clip', 'negative', '-0.8', '1', '1', '1', '', '', ''],
      ['wav', 'negative', '', '0', '1', '0', 'no text', '', 'not given'],
      ['post', 'positive', '', '1', '0', '1', '', 'not given', ''],
      ['words', 'negative', '-2', '1', '0', '0', '', 'not given', 'not given'],
    ]);
    const tokens = readFileSync(join(out, 'tokens.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(tokens).toEqual([
      ['but', 'it', 'was', 'a', 'little', 'boring'],
      [],
      ['so', 'proud', 'of', 'her', 'today', '!'],
      ['i', 'didnt', 'like', 'it'],
    ]);

    const presence = npy(out, 'presence.npy');
    expect([presence.rows, presence.cols]).toEqual([4, 3]);
    expect(Array.from(presence.data)).toEqual([1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 0, 0]);
    const lexicon = npy(out, 'lexicon.npy');
    expect([lexicon.rows, lexicon.cols]).toEqual([4, 11]);
    expect(lexicon.data[3 * 11 + 10]).toBe(4); // token_count of "I DIDN'T like it"
    expect(Array.from(lexicon.data.subarray(11, 22)).every((v) => v === 0)).toBe(true); // absent -> zeros
    const audio = npy(out, 'audio_statistics.npy');
    expect([audio.rows, audio.cols]).toEqual([4, AUDIO_STATISTICS_NAMES.length]);
    expect(audio.data.subarray(0, audio.cols).some((v) => v !== 0)).toBe(true);
    expect(audio.data.subarray(2 * audio.cols, 4 * audio.cols).every((v) => v === 0)).toBe(true);
    const visual = npy(out, 'visual_statistics.npy');
    expect([visual.rows, visual.cols]).toEqual([4, VISUAL_STATISTICS_NAMES.length]);
    expect(visual.data[2 * visual.cols]).toBe(1); // the image: one frame, with a face

    const description = JSON.parse(readFileSync(join(out, 'features.json'), 'utf8'));
    expect(description.rows).toBe(4);
    expect(description.columns.audio_statistics).toEqual(AUDIO_STATISTICS_NAMES);
    expect(description.columns.visual_statistics).toEqual(VISUAL_STATISTICS_NAMES);
    expect(description.recipes.audio.sampleRate).toBe(16000);
    expect(description.recipes.visual.fps).toBe(5);
    expect(description.absent.text).toEqual({ 'no text': 1 });
  });

  it('refuses the whole CSV, with line numbers, before extracting anything', () => {
    const input = join(dir, 'bad.csv');
    writeFileSync(
      input,
      ['id,text,audio,start_s,end_s', 'a,fine,,,', 'b,,missing.wav,,', 'c,x,,3,1', 'd,,emodb/wav/nope.wav,,'].join('\n') + '\n',
    );
    const out = join(dir, 'bad-out');
    const run = sentiscope('features', '--in', input, '--out', out, '--base', DATA);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${input} line 3: audio file missing.wav does not exist`);
    expect(run.stderr).toContain('line 4: end_s 1 is before start_s 3');
    expect(run.stderr).toContain('line 5: audio file emodb/wav/nope.wav does not exist');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a CSV without id columns, and a call without --out', () => {
    const input = join(dir, 'noid.csv');
    writeFileSync(input, 'name,text\na,hello\n');
    const run = sentiscope('features', '--in', input, '--out', join(dir, 'x'));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/line 1: the header needs an "id" column/);
    const usage = sentiscope('features', '--in', input);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/--out is required/);
  });
});
