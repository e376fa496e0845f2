// Three annotators' files imported with --annotator, then `sentiscope agreement` on the
// real bin: the figures equal the statistics computed directly from the same ratings.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alphaInterval, alphaNominal } from '../../src/shared/agreement/krippendorff';
import { icc2 } from '../../src/shared/agreement/icc';
import { fleissKappa } from '../../src/shared/agreement/kappa';
import { scoreToPolarity } from '../../src/shared/schemes/mosi';
import { generatePngImage, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-agreement-');
});
afterAll(() => removeTempDir(dir));

const HEADER = 'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode\n';
// Clip 4 is left unrated by cy: alpha uses it, ICC and kappa do not.
const SCORES: Record<string, (number | null)[]> = {
  ana: [2, -1, 0, 1.5, -2.5],
  bo: [1.8, -1.2, 0.4, 1, -3],
  cy: [2.4, 0, 0, null, -2],
};

describe('sentiscope agreement', () => {
  it('measures three MOSI annotators imported with --annotator', async () => {
    const project = join(dir, 'mosi.sentiscope');
    for (const [name, scores] of Object.entries(SCORES)) {
      const file = join(dir, `${name}.csv`);
      const rows = scores.map((s, i) => `vid,${i + 1},clip ${i + 1},${s ?? ''},,,,,train\n`).join('');
      writeFileSync(file, HEADER + rows);
      const run = await runSentiscope(['import', '--project', project, '--format', 'mosi', file, '--annotator', name]);
      expect(run.code, run.stderr).toBe(0);
    }
    // Imported again for one annotator: only theirs changes, nothing duplicates.
    const again = await runSentiscope(['import', '--project', project, '--format', 'mosi', join(dir, 'ana.csv'), '--annotator', 'ana']);
    expect(again.code).toBe(0);

    const run = await runSentiscope(['agreement', '--project', project, '--scheme', 'mosi', '--bootstrap', '200']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.annotators).toEqual(['ana', 'bo', 'cy']);
    const table = [0, 1, 2, 3, 4].map((i) => ['ana', 'bo', 'cy'].map((a) => SCORES[a][i]));
    const complete = table.filter((r) => r.every((v) => v !== null)) as number[][];
    expect(report.score).toMatchObject({ n_items: 5, n_complete: 4 });
    expect(report.score.alpha_interval).toBeCloseTo(alphaInterval(table)!, 9);
    expect(report.score.icc2_1).toBeCloseTo(icc2(complete).icc2_1!, 9);
    expect(report.score.icc2_k).toBeCloseTo(icc2(complete).icc2_k!, 9);
    const classes = table.map((r) => r.map((v) => (v === null ? null : scoreToPolarity(v))));
    expect(report.class3.alpha_nominal).toBeCloseTo(alphaNominal(classes)!, 9);
    expect(report.class3.fleiss_kappa).toBeCloseTo(fleissKappa(classes.filter((r) => !r.includes(null)))!, 9);
    expect(report.class3.cohen_kappa).toBeUndefined();
    expect(report.score.ci95.alpha_interval).toHaveLength(2);
    expect(report.score.pairwise).toHaveLength(3);
    expect(report.per_media.vid.score.n_items).toBe(5);
    expect(report.score.reading.alpha_interval).toMatch(/^alpha \(interval\) -?\d\.\d\d: /);
  });

  it('measures MVSA text, image and pair labels, and refuses one annotator', async () => {
    const folder = join(dir, 'mvsa');
    mkdirSync(join(folder, 'images'), { recursive: true });
    for (const id of ['1', '2', '3']) await generatePngImage(join(folder, 'images'), { name: `${id}.png` });
    const project = join(dir, 'mvsa.sentiscope');
    const labels: Record<string, string[][]> = {
      ana: [
        ['positive', 'neutral'],
        ['negative', 'negative'],
        ['neutral', 'positive'],
      ],
      bo: [
        ['positive', 'positive'],
        ['negative', 'neutral'],
        ['neutral', 'positive'],
      ],
    };
    const importAs = async (name: string) => {
      const file = join(folder, `${name}.csv`);
      const rows = labels[name].map(([t, i], k) => `${k + 1},post ${k + 1},images/${k + 1}.png,${t},${i}\n`).join('');
      writeFileSync(file, 'id,text,image,text_label,image_label\n' + rows);
      return runSentiscope(['import', '--project', project, '--format', 'mvsa', file, '--annotator', name]);
    };
    expect((await importAs('ana')).code).toBe(0);
    const alone = await runSentiscope(['agreement', '--project', project, '--scheme', 'mvsa']);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toMatch(/mvsa\.sentiscope: MVSA labels are by only ana; agreement needs at least two annotators/);

    expect((await importAs('bo')).code).toBe(0);
    const run = await runSentiscope(['agreement', '--project', project, '--scheme', 'mvsa']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    // The text labels agree everywhere; the image labels on one post of three.
    expect(report.text.alpha_nominal).toBe(1);
    const image = [0, 1, 2].map((k) => [labels.ana[k][1], labels.bo[k][1]]);
    expect(report.image.alpha_nominal).toBeCloseTo(alphaNominal(image)!, 9);
    expect(report.image.fleiss_kappa).toBeCloseTo(fleissKappa(image)!, 9);
    expect(report.image.cohen_kappa).toBeTypeOf('number');
    expect(report.pair).toMatchObject({ n_items: 3, n_complete: 3 });

    // The readings behind --table; --json (JSON was opt-in before) still works with a warning.
    const table = await runSentiscope(['agreement', '--project', project, '--scheme', 'mvsa', '--table']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^MVSA agreement of ana, bo\ntext: 3 items, 3 rated by every annotator\n/);
    const old = await runSentiscope(['agreement', '--project', project, '--scheme', 'mvsa', '--json']);
    expect(old.code, old.stderr).toBe(0);
    expect(old.stderr).toBe('sentiscope agreement: --json is deprecated; JSON is the default now (--table for the readings)\n');
    expect(JSON.parse(old.stdout)).toEqual(report);
  });
});
