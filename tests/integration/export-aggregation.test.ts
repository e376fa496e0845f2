// Export of a project several annotators labelled, through a real project file and the
// real bin: MOSI mean or median, MVSA majority then the pair rule, --min-annotators, and
// the refusals of values the export has no use for.

import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFromProject } from '../../src/core/services/project-export';
import { ProjectStore } from '../../src/core/store';
import type { Polarity } from '../../src/shared/domain';
import { SentiscopeError } from '../../src/shared/errors';
import { generatePngImage, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-export-aggregation-');
});
afterAll(() => removeTempDir(dir));

const MMSA = 'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode';

/** Clip 1: three annotators differ; clip 2: all say 1; clip 3: ana alone; clip 4: ana and bo. */
function mosiTeam(path: string): ProjectStore {
  const store = ProjectStore.open(path);
  const media = store.addMedia({ name: 'vid' });
  const clip = (text: string) => store.createSegment({ mediaId: media.id, start: 0, end: 0, source: 'manual', text, split: 'test' });
  const [c1, c2, c3, c4] = [clip('one'), clip('two'), clip('three'), clip('four')];
  const score = (segmentId: number, annotator: string, value: number, text: number | null = null) =>
    store.setMosiLabel({ segmentId, annotator, values: { score: value, text, audio: null, visual: null } });
  score(c1.id, 'ana', 2, 3);
  score(c1.id, 'bo', -1, 1);
  score(c1.id, 'cy', 0.5);
  for (const who of ['ana', 'bo', 'cy']) score(c2.id, who, 1);
  score(c3.id, 'ana', -2);
  score(c4.id, 'ana', 3);
  score(c4.id, 'bo', 2);
  return store;
}

async function rejection(call: () => unknown): Promise<SentiscopeError> {
  try {
    await call();
  } catch (err) {
    if (err instanceof SentiscopeError) return err;
    throw err;
  }
  throw new Error('expected a SentiscopeError');
}

describe('MOSI export of three annotators', () => {
  it('writes the mean by default, each annotator and the provenance of every row', async () => {
    const store = mosiTeam(join(dir, 'mean.sentiscope'));
    try {
      const out = join(dir, 'mean.csv');
      expect(await exportFromProject(store, { format: 'mosi', path: out })).toMatchObject({ rows: 4 });
      expect(readFileSync(out, 'utf8')).toBe(
        `${MMSA},annotators,n_annotators,label_ana,label_bo,label_cy,provenance\n` +
          'vid,1,one,0.5000,2.0000,,,Positive,test,ana;bo;cy,3,2.0000,-1.0000,0.5000,aggregated\n' +
          'vid,2,two,1.0000,,,,Positive,test,ana;bo;cy,3,1.0000,1.0000,1.0000,unanimous\n' +
          'vid,3,three,-2.0000,,,,Negative,test,ana,1,-2.0000,,,single\n' +
          'vid,4,four,2.5000,,,,Positive,test,ana;bo,2,3.0000,2.0000,,aggregated\n',
      );
    } finally {
      store.close();
    }
  });

  it('writes the median when asked, and leaves out rows with fewer annotators than --min-annotators', async () => {
    const store = mosiTeam(join(dir, 'median.sentiscope'));
    try {
      const out = join(dir, 'median.csv');
      const report = await exportFromProject(store, { format: 'mosi', path: out, aggregate: 'median', minAnnotators: 2 });
      expect(report).toMatchObject({ rows: 3, skippedFewAnnotators: 1 });
      const lines = readFileSync(out, 'utf8').trim().split('\n');
      // Clip 1: median of 2, -1, 0.5 is 0.5 and of the text scores 3, 1 is 2; clip 4: median of two is their mean.
      expect(lines.slice(1).map((l) => l.split(',').slice(1, 5).join(','))).toEqual([
        '1,one,0.5000,2.0000',
        '2,two,1.0000,',
        '4,four,2.5000,',
      ]);

      await exportFromProject(store, { format: 'mosi', path: out, minAnnotators: 3 });
      expect(
        readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[1]),
      ).toEqual(['1', '2']);
    } finally {
      store.close();
    }
  });

  it('exports one annotator exactly as before: no team columns', async () => {
    const store = mosiTeam(join(dir, 'one.sentiscope'));
    try {
      const out = join(dir, 'one.csv');
      await exportFromProject(store, { format: 'mosi', path: out, annotator: 'cy' });
      expect(readFileSync(out, 'utf8')).toBe(
        `${MMSA},annotators\nvid,1,one,0.5000,,,,Positive,test,cy\nvid,2,two,1.0000,,,,Positive,test,cy\n`,
      );
    } finally {
      store.close();
    }
  });
});

describe('MVSA export of three annotators', () => {
  it('takes the per-side majority, then the pair rule; a side without majority is flagged and left out', async () => {
    const folder = join(dir, 'mvsa');
    mkdirSync(folder, { recursive: true });
    const store = ProjectStore.open(join(dir, 'mvsa.sentiscope'));
    try {
      const posts: Record<string, [Polarity | null, Polarity | null][]> = {
        // ana, bo, cy as [text, image]
        p1: [
          ['positive', 'neutral'],
          ['positive', 'neutral'],
          ['negative', 'neutral'],
        ],
        p2: [
          ['neutral', 'negative'],
          ['neutral', 'negative'],
          ['neutral', 'negative'],
        ],
        p3: [
          ['positive', 'negative'],
          ['negative', 'positive'],
          ['neutral', 'negative'],
        ],
        p4: [
          ['positive', 'negative'],
          ['positive', 'negative'],
          ['neutral', 'positive'],
        ],
        p5: [
          ['neutral', 'positive'],
          ['neutral', 'positive'],
          [null, null],
        ],
      };
      for (const [name, sides] of Object.entries(posts)) {
        const image = await generatePngImage(folder, { name: `${name}.png` });
        const media = store.addMedia({ name, path: image, kind: 'image' });
        const segment = store.createSegment({ mediaId: media.id, start: 0, end: 0, source: 'import', text: `post ${name}` });
        sides.forEach(([text, img], i) => {
          if (text === null && img === null) return;
          store.setMvsaLabel({ segmentId: segment.id, annotator: ['ana', 'bo', 'cy'][i], values: { text, image: img, pair: null } });
        });
      }
      const out = join(folder, 'team.csv');
      const report = await exportFromProject(store, { format: 'mvsa', path: out });
      // p3: no text majority (flagged); p4: majority positive text against negative image (the pair rule's conflict).
      expect(report).toMatchObject({ rows: 3, skippedConflicts: 1, noMajority: ['p3'] });
      expect(readFileSync(out, 'utf8')).toBe(
        'id,text,image,text_label,image_label,label,annotators,n_annotators,label_ana,label_bo,label_cy,provenance\n' +
          'p1,post p1,p1.png,positive,neutral,positive,ana;bo;cy,3,positive,positive,negative,aggregated\n' +
          'p2,post p2,p2.png,neutral,negative,negative,ana;bo;cy,3,negative,negative,negative,unanimous\n' +
          'p5,post p5,p5.png,neutral,positive,positive,ana;bo,2,positive,positive,,unanimous\n',
      );

      await exportFromProject(store, { format: 'mvsa', path: out, minAnnotators: 3 });
      expect(
        readFileSync(out, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[0]),
      ).toEqual(['p1', 'p2']);
    } finally {
      store.close();
    }
  });
});

describe('refusals', () => {
  it('refuses values the export has no use for, writing nothing', async () => {
    const store = mosiTeam(join(dir, 'refuse.sentiscope'));
    try {
      const out = join(dir, 'refused.csv');
      for (const bad of [
        { format: 'mvsa', aggregate: 'median' },
        { format: 'segments', aggregate: 'mean' },
        { format: 'mosi', minAnnotators: 0 },
        { format: 'mosi', minAnnotators: 1.5 },
      ] as const) {
        const err = await rejection(() => exportFromProject(store, { path: out, ...bad }));
        expect(err.code).toBe('bad-request');
        expect(err.message).toContain(out);
      }
      expect(existsSync(out)).toBe(false);
    } finally {
      store.close();
    }
  });

  it('the CLI exports the median and refuses bad --aggregate and --min-annotators values', async () => {
    const project = join(dir, 'cli.sentiscope');
    mosiTeam(project).close();
    const out = join(dir, 'cli.csv');
    const ok = await runSentiscope([
      'export',
      '--project',
      project,
      '--format',
      'mosi',
      '--out',
      out,
      '--aggregate',
      'median',
      '--min-annotators',
      '3',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ rows: 2, skippedFewAnnotators: 2 });
    const never = join(dir, 'never.csv');
    const refused: [string[], number, RegExp][] = [
      [['--format', 'mosi', '--aggregate', 'mode'], 2, /--aggregate must be one of mean, median, adjudicated \(got 'mode'\)/],
      [['--format', 'mosi', '--min-annotators', '0'], 2, /--min-annotators must be a whole number >= 1 \(got '0'\)/],
      [['--format', 'mosi', '--min-annotators', 'two'], 2, /--min-annotators must be a whole number >= 1 \(got 'two'\)/],
      [
        ['--format', 'mvsa', '--aggregate', 'mean'],
        1,
        /never\.csv: MVSA labels are categories: they are aggregated by majority, not by mean/,
      ],
      [
        ['--format', 'segments', '--min-annotators', '2'],
        1,
        /never\.csv: --aggregate and --min-annotators apply to --format mosi or mvsa, not segments/,
      ],
    ];
    for (const [args, code, message] of refused) {
      const run = await runSentiscope(['export', '--project', project, '--out', never, ...args]);
      expect(run.code).toBe(code);
      expect(run.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, 'never.csv'))).toBe(false);
  });
});
