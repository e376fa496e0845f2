// The default pack reads English and Chinese: `sentiscope predict` writes each row's
// language, reads Chinese text with its character encoder, and gives "text absent" with the
// reason for a language it was not trained on instead of reading it as English.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { loadModelPack } from '../../src/core/models';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const DEFAULT_PACK = resolve('resources/models/late-fusion-v1');

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-languages-');
});
afterAll(() => removeTempDir(dir));

describe('predict: languages of the default pack', () => {
  it('declares English and Chinese', async () => {
    const pack = await loadModelPack(DEFAULT_PACK);
    expect(pack.manifest.inputs.text?.languages).toEqual(['en', 'zh']);
    expect(pack.manifest.fusion.outputs.ood).toBe('ood');
  });

  it('writes the language, reads Chinese, and leaves German and Russian text absent with the reason', async () => {
    const rows = [
      ['en-pos', 'i really loved this movie, it was wonderful'],
      ['en-neg', 'this was a terrible boring waste of time'],
      ['zh-pos', '房间很干净，服务态度非常好，下次还会再来'],
      ['zh-neg', '太难吃了，送餐还特别慢，再也不点了'],
      ['de', 'Das war ein sehr guter Film, aber die Musik ist nicht gut'],
      ['ru', 'Это был очень плохой фильм'],
    ];
    const input = join(dir, 'texts.csv');
    await writeFile(input, ['id,text', ...rows.map(([id, text]) => `${id},"${text}"`)].join('\n') + '\n');
    const out = join(dir, 'texts.pred.csv');
    const run = spawnSync(process.execPath, [BIN, 'predict', '--in', input, '--out', out, '--device', 'cpu'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const table = parseCsv(readFileSync(out, 'utf8'));
    const row = Object.fromEntries(table.rows.map((r) => [r.cells[0], Object.fromEntries(table.header.map((h, i) => [h, r.cells[i]]))]));

    expect(['en-pos', 'en-neg', 'zh-pos', 'zh-neg', 'de', 'ru'].map((id) => row[id].language)).toEqual([
      'en',
      'en',
      'zh',
      'zh',
      'de',
      'ru',
    ]);
    for (const id of ['en-pos', 'en-neg', 'zh-pos', 'zh-neg']) {
      expect(row[id].contrib_text, id).not.toBe('');
      expect(row[id].ood_text, id).toMatch(/^[01]$/);
    }
    // Chinese reviews are read, not guessed: the positive one scores above the negative one.
    expect(Number(row['zh-pos'].pred_score)).toBeGreaterThan(Number(row['zh-neg'].pred_score));
    expect(Number(row['en-pos'].pred_score)).toBeGreaterThan(Number(row['en-neg'].pred_score));
    for (const id of ['de', 'ru']) {
      expect([row[id].contrib_text, row[id].ood_text], id).toEqual(['', '']);
    }
    expect(run.stderr).toContain('text absent (text in German (de); the model reads English (en), Chinese (zh))');
    expect(run.stderr).toContain('text in Russian (ru)');
  });
});
