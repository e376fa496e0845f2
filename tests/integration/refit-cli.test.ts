// `sentiscope refit` end to end with the real bin, the shipped default pack (real ONNX,
// real ffmpeg decoding, real features) and real RAVDESS speech: refit on some actors,
// predict other actors with the new pack by its id, list it, remove it; the same seed
// gives the same head; a refit that cannot beat its source is refused; bad label files
// are refused naming the file and line. The pack is retrained from time to time, so no
// test reads its exact numbers.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { FusionRunner } from '../../src/core/models/fusion-runner';
import { PackFeatureReader } from '../../src/core/models/pack-features';
import { loadModelPack } from '../../src/core/models/pack-loader';
import { predictWithContributions } from '../../src/core/models/shapley';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

const RAVDESS = fileURLToPath(new URL('../../../shared/data/ravdess/', import.meta.url));
// The data README's valence mapping for acted speech; surprise has none.
const VALENCE: Record<string, string> = {
  happy: 'positive',
  neutral: 'neutral',
  calm: 'neutral',
  angry: 'negative',
  sad: 'negative',
  fearful: 'negative',
  disgust: 'negative',
};

let dir: string;
let env: NodeJS.ProcessEnv;

/** Statement 1, first repetition, of `actors`: 13 clips an actor (7 emotions, 2 intensities but neutral). */
function ravdessRows(actors: number[]): string[] {
  const { rows } = parseCsv(readFileSync(join(RAVDESS, 'labels.csv'), 'utf8'));
  return rows
    .map((r) => r.cells)
    .filter(([, actor, , emotion, , , repetition]) => actors.includes(Number(actor)) && VALENCE[emotion] && repetition === '01')
    .filter(([file]) => file.split('-')[4] === '01')
    .map(([file, actor, , emotion, , statement]) =>
      [file.slice(6, -5), join(RAVDESS, file), statement, VALENCE[emotion], `actor${actor}`].join(','),
    );
}

function writeCsv(name: string, header: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, [header, ...lines].join('\n') + '\n');
  return file;
}

const refit = (...args: string[]) => runSentiscope(['refit', '--threads', '1', ...args], env);

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-refit-');
  env = { ...process.env, SENTISCOPE_DATA_DIR: join(dir, 'data') };
  delete env.SENTISCOPE_MODELS;
});
afterAll(() => removeTempDir(dir));

describe.skipIf(!existsSync(RAVDESS))('sentiscope refit', () => {
  it('refuses a labels file without a label column, or with a label out of range, naming the file and line', async () => {
    const none = writeCsv('none.csv', 'id,text', ['a,good', 'b,bad']);
    const run = await refit('--in', none, '--id', 'nope');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${none} line 1: the header needs a "label" column`);

    const wrong = writeCsv('wrong.csv', 'id,text,label', ['a,good,2', 'b,bad,5', 'c,fine,x']);
    const bad = await refit('--in', wrong, '--id', 'nope');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${wrong} line 3: label "5" is not a score from -3 to +3`);
    expect(bad.stderr).toContain(`${wrong} line 4: label "x"`);

    expect(existsSync(join(dir, 'data', 'models', 'nope'))).toBe(false);
  });

  it('installs a refit pack that predict uses by id, that is listed, deterministic for a seed, and removable', async () => {
    const header = 'id,audio,text,label_class,group';
    const train = writeCsv('train.csv', header, ravdessRows([1, 2, 3, 4]));
    const other = writeCsv('other.csv', header, ravdessRows([5, 6]));

    const first = await refit('--in', train, '--id', 'my-voices', '--folds', '4', '--seed', '7', '--force');
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ id: 'my-voices', installed: true, labels: 'class', rows: 52, groups: 4, folds: 4, seed: 7 });
    expect(report.classCounts).toEqual({ negative: 32, neutral: 12, positive: 8 });
    expect(report.crossValidation.folds).toHaveLength(4);
    expect(report.modalities).toContain('audio');
    const installed = join(dir, 'data', 'models', 'my-voices');
    const manifest = JSON.parse(readFileSync(join(installed, 'manifest.json'), 'utf8'));
    expect(manifest.refit).toEqual({ file: 'refit.json', source: report.source });
    expect(manifest.default).toBe(false);
    expect(readFileSync(join(installed, 'MODEL_CARD.md'), 'utf8')).toContain('negative 32, neutral 12, positive 8');

    // Same labels, same seed: the same head, number for number.
    const second = await refit('--in', train, '--id', 'my-voices-again', '--folds', '4', '--seed', '7', '--force');
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(dir, 'data', 'models', 'my-voices-again', 'refit.json'), 'utf8')).toBe(
      readFileSync(join(installed, 'refit.json'), 'utf8'),
    );
    expect(JSON.parse(second.stdout).crossValidation).toEqual(report.crossValidation);

    const listed = await runSentiscope(['models', '--table'], env);
    expect(listed.stdout).toMatch(/pack {2}my-voices {2}1\.0\.0 {2}\[added\]/);
    expect(listed.stdout).toContain(`refit on the labels in ${train}`);

    const byDefault = await runSentiscope(['predict', '--in', other, '--out', join(dir, 'default.csv'), '--threads', '1'], env);
    const byRefit = await runSentiscope(
      ['predict', '--in', other, '--out', join(dir, 'refit.csv'), '--model', 'my-voices', '--threads', '1'],
      env,
    );
    expect(byRefit.code, byRefit.stderr).toBe(0);
    expect(byRefit.stderr).toMatch(/model my-voices@1\.0\.0 on .*, 26 rows/);
    const probabilities = (file: string) => parseCsv(readFileSync(file, 'utf8')).rows.map((r) => r.cells.slice(3, 6).join(' '));
    expect(probabilities(join(dir, 'refit.csv'))).toHaveLength(26);
    expect(byDefault.code, byDefault.stderr).toBe(0);
    expect(probabilities(join(dir, 'refit.csv'))).not.toEqual(probabilities(join(dir, 'default.csv')));

    // The head sits inside FusionRunner.run: Shapley's base + contributions is still the score.
    const pack = await loadModelPack(installed);
    expect(pack.refit?.source).toEqual(report.source);
    const runner = await FusionRunner.create(pack, { threads: 1 });
    const reader = await PackFeatureReader.open(runner);
    try {
      const [, audio, text] = ravdessRows([5])[0].split(',');
      const features = await reader.read(reader.sourceFor({ audio: { path: audio }, text, visual: null }));
      const prediction = await predictWithContributions(runner, features);
      const sum = Object.values(prediction.contributions).reduce<number>((a, c) => a + (c ?? 0), 0);
      expect(prediction.present).toContain('audio');
      expect(prediction.base + sum).toBeCloseTo(prediction.score, 5);
    } finally {
      await reader.close();
    }

    // A head that does not fit the pack is refused naming its file.
    const headFile = join(installed, 'refit.json');
    const head = JSON.parse(readFileSync(headFile, 'utf8'));
    head.modalities.audio.weights[0].pop();
    writeFileSync(headFile, JSON.stringify(head));
    await expect(loadModelPack(installed)).rejects.toThrow(
      `${headFile}: the refit head does not fit pack my-voices: "audio" weights must be 4 rows of`,
    );

    const removed = await runSentiscope(['models', 'remove', 'my-voices'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(existsSync(installed)).toBe(false);
  }, 300_000);

  it("refuses, without --force, a refit that cannot beat its source: labels that are the source pack's own predictions", async () => {
    // Clips the pack calls negative and texts it calls positive: its own labels score 1.0.
    const texts = [
      'I loved it and it was truly wonderful',
      'what a great and happy day',
      'best film ever and brilliant',
      'so good and I am delighted',
      'a lovely and excellent show',
      'fantastic and I enjoyed every minute',
    ];
    const lines = [
      ...ravdessRows([7])
        .slice(0, 8)
        .map((l) => l.split(',').slice(0, 2).join(',') + ','),
      ...texts.map((t, i) => `t${i},,${t}`),
    ];
    const plain = writeCsv('plain.csv', 'id,audio,text', lines);
    const predicted = await runSentiscope(['predict', '--in', plain, '--out', join(dir, 'own.csv'), '--threads', '1'], env);
    expect(predicted.code, predicted.stderr).toBe(0);
    const own = parseCsv(readFileSync(join(dir, 'own.csv'), 'utf8')).rows.map((r) => r.cells[2]);
    expect(new Set(own).size).toBeGreaterThan(1);
    const labelled = writeCsv(
      'own-labels.csv',
      'id,audio,text,label_class',
      lines.map((l, i) => `${l},${own[i]}`),
    );

    const run = await refit('--in', labelled, '--id', 'no-better', '--folds', '3');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.installed).toBe(false);
    expect(report.crossValidation.decision.before).toBe(1);
    expect(run.stderr).toMatch(/not installed: the refit is not better than .* \(balanced_accuracy 1\.0000 before, [01]\.\d{4} after\)/);
    expect(existsSync(join(dir, 'data', 'models', 'no-better'))).toBe(false);
  }, 180_000);
});
