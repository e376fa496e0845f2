// Refit speed on real labels: RAVDESS speech actors 1-8 (416 clips, the README's
// measurement, surprise left out), refit from the default pack into a throw-away data
// folder, timed per stage (features, cross-validation, final fit, learning curve); then
// again with the features cache the first run filled (the app's "label more, refit
// again" loop). Prints one JSON object per run. Run: npx tsx scripts/bench-refit.ts [jobs] [actors]

import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../src/shared/csv';
import { modelRoots } from '../src/core/models/user-models';
import { refitFromCsv } from '../src/core/models/refit-pack';

const ravdess = fileURLToPath(new URL('../../shared/data/ravdess/', import.meta.url));
const jobs = Number(process.argv[2] ?? 3);
const actors = Number(process.argv[3] ?? 8);
// The data README's valence mapping for acted speech; surprise has none.
const valence: Record<string, string> = {
  happy: 'positive',
  neutral: 'neutral',
  calm: 'neutral',
  angry: 'negative',
  sad: 'negative',
  fearful: 'negative',
  disgust: 'negative',
};

const dir = await mkdtemp(join(tmpdir(), 'sentiscope-bench-refit-'));
try {
  const { rows } = parseCsv(readFileSync(join(ravdess, 'labels.csv'), 'utf8'));
  const lines = rows
    .map((r) => r.cells)
    .filter(([, actor, , emotion]) => Number(actor) <= actors && valence[emotion])
    .map(([file, actor, , emotion, , statement]) =>
      [file.replace(/\W/g, '_'), join(ravdess, file), statement, valence[emotion], `actor${actor}`].join(','),
    );
  const input = join(dir, 'labels.csv');
  await writeFile(input, ['id,audio,text,label_class,group', ...lines].join('\n') + '\n');
  for (const run of ['cold', 'cached']) {
    const report = await refitFromCsv({
      input,
      id: `bench-refit-${run}`,
      jobs,
      threads: 1,
      force: true,
      roots: modelRoots(join(dir, 'data')),
      cacheDir: join(dir, 'cache'),
    });
    const { decision } = report.crossValidation;
    console.log(
      JSON.stringify({
        run,
        rows: report.rows,
        cachedRows: report.cachedRows,
        jobs,
        seconds: report.seconds,
        timings: report.timings,
        [decision.metric]: { before: decision.before, after: decision.after },
        learningCurve: report.learningCurve.points.map((p) => [p.labels, Number(p.after.toFixed(4))]),
      }),
    );
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
