// `predict --shard K/N` and `sentiscope merge` as a user runs them: the real bin, the
// fixture pack, real MOSI text and media. The merged shards must be byte for byte one
// unsharded run; an incomplete or mixed set is refused naming what is wrong; a shard cut
// short resumes.

import { existsSync, readFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';
import { TINY_PACK, writeShardInput } from '../helpers/shard-input';

let dir: string;
let input: string;
let whole: Buffer;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-shards-');
  input = await writeShardInput(dir);
  const run = await predict(join(dir, 'whole.csv'));
  expect(run.code, run.stderr).toBe(0);
  whole = readFileSync(join(dir, 'whole.csv'));
}, 120_000);
afterAll(() => removeTempDir(dir));

const predict = (out: string, ...extra: string[]) =>
  runSentiscope(['predict', '--in', input, '--out', out, '--model', TINY_PACK, '--device', 'cpu', ...extra]);

async function shardRun(k: number, n: number, prefix = 's') {
  const out = join(dir, `${prefix}${k}of${n}.csv`);
  const run = await predict(out, '--shard', `${k}/${n}`);
  expect(run.code, run.stderr).toBe(0);
  return { out, stderr: run.stderr };
}

describe('predict --shard and merge', () => {
  it('three shards merge into exactly the unsharded CSV; each shard has its manifest and its share', async () => {
    const shards = [];
    for (let k = 0; k < 3; k++) shards.push(await shardRun(k, 3));
    const ids = (file: string) => parseCsv(readFileSync(file, 'utf8')).rows.map((r) => r.cells[1]);
    const all = ids(join(dir, 'whole.csv'));
    expect(all).toHaveLength(8);
    shards.forEach((s, k) => {
      expect(ids(s.out)).toEqual(all.filter((_, i) => i % 3 === k));
      const m = JSON.parse(readFileSync(`${s.out}.shard.json`, 'utf8'));
      expect(m).toMatchObject({
        format: 'sentiscope-shard',
        command: 'predict',
        input: 'segments.csv',
        input_items: 8,
        k,
        n: 3,
        pack_id: 'tiny-late-fusion',
        pack_version: '0.0.1',
        complete: true,
      });
      expect(m.input_digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    });
    const merged = join(dir, 'merged.csv');
    const run = await runSentiscope(['merge', '--out', merged, ...shards.map((s) => s.out).reverse()]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(merged).equals(whole)).toBe(true);
    expect(existsSync(`${merged}.shard.json`)).toBe(false);
  }, 180_000);

  it('refuses two of three shards naming the missing one, a shard given twice, and shards of another input', async () => {
    const [a, , c] = [0, 1, 2].map((k) => join(dir, `s${k}of3.csv`));
    const out = join(dir, 'refused.csv');
    const missing = await runSentiscope(['merge', '--out', out, a, c]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('shard 1/3 missing');
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const twice = await runSentiscope(['merge', '--out', out, a, a, c]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('shard 0/3 given twice');

    const otherInput = await writeShardInput(dir, 5, 'other.csv');
    const other = await runSentiscope([
      'predict',
      '--in',
      otherInput,
      '--out',
      join(dir, 'other1of3.csv'),
      '--model',
      TINY_PACK,
      '--device',
      'cpu',
      '--shard',
      '1/3',
    ]);
    expect(other.code, other.stderr).toBe(0);
    const mixed = await runSentiscope(['merge', '--out', out, a, join(dir, 'other1of3.csv'), c]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain('input digest');
    const plain = await runSentiscope(['merge', '--out', out, join(dir, 'whole.csv')]);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('has no shard manifest');
    expect(existsSync(out)).toBe(false);
  }, 180_000);

  it('a shard cut short resumes after its last complete row and ends byte-identical; a finished shard is skipped', async () => {
    const { out } = await shardRun(0, 2, 'r');
    const finished = readFileSync(out);
    // As if killed mid-row: the file is still the partial one, its manifest not complete.
    const text = finished.toString('utf8');
    await rename(out, `${out}.partial`);
    await writeFile(`${out}.partial`, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 7));
    const manifest = JSON.parse(await readFile(`${out}.shard.json`, 'utf8'));
    await writeFile(`${out}.shard.json`, JSON.stringify({ ...manifest, complete: false }));
    const again = await shardRun(0, 2, 'r');
    expect(again.stderr).toContain('resuming after 3 of 4 rows already written');
    expect(readFileSync(out).equals(finished)).toBe(true);
    const skipped = await shardRun(0, 2, 'r');
    expect(skipped.stderr).toContain('all 4 rows already in');

    await shardRun(1, 2, 'r');
    const merged = join(dir, 'merged-2.csv');
    const run = await runSentiscope(['merge', '--out', merged, out, join(dir, 'r1of2.csv')]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(merged).equals(whole)).toBe(true);
  }, 180_000);

  it('--shard env reads the Slurm array and Kubernetes Indexed Job variables', async () => {
    const env = (vars: Record<string, string>) => {
      const e = { ...process.env, ...vars };
      delete e.SLURM_ARRAY_TASK_ID;
      delete e.JOB_COMPLETION_INDEX;
      return { ...e, ...vars };
    };
    const run = (out: string, vars: Record<string, string>, ...extra: string[]) =>
      runSentiscope(
        ['predict', '--in', input, '--out', join(dir, out), '--model', TINY_PACK, '--device', 'cpu', '--shard', 'env', ...extra],
        env(vars),
      );
    const slurm = await run('env-slurm.csv', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '3' });
    expect(slurm.code, slurm.stderr).toBe(0);
    expect(readFileSync(join(dir, 'env-slurm.csv')).equals(readFileSync(join(dir, 's2of3.csv')))).toBe(true);
    const k8s = await run('env-k8s.csv', { JOB_COMPLETION_INDEX: '1' }, '--shards', '3');
    expect(k8s.code, k8s.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'env-k8s.csv.shard.json'), 'utf8'))).toMatchObject({ k: 1, n: 3 });

    const noCount = await run('x.csv', { JOB_COMPLETION_INDEX: '1' });
    expect(noCount.code).toBe(2);
    expect(noCount.stderr).toContain('needs --shards N');
    const none = await run('x.csv', {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX');
    const outOfRange = await predict(join(dir, 'x.csv'), '--shard', '3/3');
    expect(outOfRange.code).toBe(2);
    expect(outOfRange.stderr).toContain('from 0 to 2');
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  }, 180_000);
});
