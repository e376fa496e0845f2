// Every pack in resources/models runs through `sentiscope predict --model ID` on real inputs
// of each kind (text, a MOSI video, an EmoDB recording, an MVSA post), and exactly one of
// them is the default.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultModelsDir, listModelPacks } from '../../src/core/models';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const DATA = resolve('../shared/data');
const listings = await listModelPacks(defaultModelsDir());

let dir: string;
let input: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-shipped-packs-');
  input = join(dir, 'rows.csv');
  await writeFile(
    input,
    [
      'id,text,video,audio,image',
      'text-only,what a wonderful and moving film,,,',
      `mosi-clip,and sucker punch is a failure,${MOSI_CLIP},,`,
      `emodb,,,${join(DATA, 'emodb/wav/03a01Fa.wav')},`,
      `mvsa-post,great day at the beach with friends,,,${join(DATA, 'mvsa/images/10.jpg')}`,
    ].join('\n') + '\n',
  );
});
afterAll(() => removeTempDir(dir));

describe('shipped model packs', () => {
  it('all load, and exactly one is the default', () => {
    expect(listings.length).toBeGreaterThanOrEqual(7);
    for (const l of listings) expect(l.error?.message ?? null, l.id).toBeNull();
    expect(listings.filter((l) => l.pack?.manifest.default).map((l) => l.id)).toEqual(['late-fusion-v1']);
  });

  it.each(listings.map((l) => l.id))(
    'sentiscope predict --model %s',
    (id) => {
      const out = join(dir, `${id}.csv`);
      const run = spawnSync(process.execPath, [BIN, 'predict', '--in', input, '--out', out, '--model', id, '--device', 'cpu'], {
        encoding: 'utf8',
        timeout: 180_000,
      });
      expect(run.status, run.stderr).toBe(0);
      const table = parseCsv(readFileSync(out, 'utf8'));
      const header = table.header;
      const rows = table.rows.map((r) => r.cells);
      const col = (name: string) => header.indexOf(name);
      expect(rows.map((r) => r[col('id')])).toEqual(['text-only', 'mosi-clip', 'emodb', 'mvsa-post']);
      for (const r of rows) {
        const score = Number(r[col('pred_score')]);
        expect(score).toBeGreaterThanOrEqual(-3);
        expect(score).toBeLessThanOrEqual(3);
        const p = ['p_negative', 'p_neutral', 'p_positive'].map((c) => Number(r[col(c)]));
        expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      }
      // The text-only row has no audio/visual contribution; the video row has a text one.
      expect(rows[0][col('contrib_audio')]).toBe('');
      expect(rows[1][col('contrib_text')]).not.toBe('');
    },
    200_000,
  );
});
