// The documented Slurm array script (docs/cluster/predict-array.sbatch) submitted for real
// to a one-node cluster started by scripts/slurm-local.sh: `sbatch --array=0-3 --wait`, then
// `sentiscope merge`, which must give exactly the unsharded CSV; every task's log names its
// shard. Where Slurm, munge or root is missing the test is skipped and says why.

import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';
import { SENTISCOPE_BIN, runSentiscope } from '../helpers/sentiscope-cli';
import { TINY_PACK, writeShardInput } from '../helpers/shard-input';

const SCRIPT = resolve('scripts/slurm-local.sh');
const SBATCH = resolve('docs/cluster/predict-array.sbatch');
// Ports of their own, so a cluster someone else started on the defaults is left alone.
const PORTS = {
  SENTISCOPE_SLURMCTLD_PORT: process.env.SENTISCOPE_SLURMCTLD_PORT ?? '6837',
  SENTISCOPE_SLURMD_PORT: process.env.SENTISCOPE_SLURMD_PORT ?? '6838',
};

let dir: string;
let clusterDir: string;
let env: NodeJS.ProcessEnv | null = null;
let skipped = '';
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-slurm-');
  clusterDir = join(dir, 'cluster');
  const start = spawnSync('bash', [SCRIPT, 'start', clusterDir], { encoding: 'utf8', env: { ...process.env, ...PORTS }, timeout: 60_000 });
  if (start.status === 3) {
    skipped = `SKIPPED: no Slurm job system here (${start.stderr.trim()})`;
    process.stderr.write(`slurm-array.test: ${skipped}\n`);
    return;
  }
  expect(start.status, start.stderr).toBe(0);
  const conf = /SLURM_CONF=(\S+)/.exec(start.stdout)?.[1];
  expect(conf).toBeDefined();
  env = { ...process.env, ...PORTS, SLURM_CONF: conf, SENTISCOPE: `${process.execPath} ${SENTISCOPE_BIN}` };
}, 120_000);
afterAll(async () => {
  if (env) spawnSync('bash', [SCRIPT, 'stop', clusterDir], { env: { ...process.env, ...PORTS }, timeout: 30_000 });
  await removeTempDir(dir);
});

describe('Slurm array of predict shards', () => {
  it('sbatch --array=0-3 --wait runs four shards that merge into exactly the unsharded CSV', async (ctx) => {
    if (!env) {
      ctx.skip(skipped);
      return;
    }
    const input = await writeShardInput(dir);
    const whole = join(dir, 'whole.csv');
    const one = await runSentiscope(['predict', '--in', input, '--out', whole, '--model', TINY_PACK, '--device', 'cpu']);
    expect(one.code, one.stderr).toBe(0);

    const shards = join(dir, 'shards');
    const sbatch = spawnSync('sbatch', ['--array=0-3', '--wait', SBATCH, input, shards, '--model', TINY_PACK, '--device', 'cpu'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(sbatch.status, `${sbatch.stdout}\n${sbatch.stderr}`).toBe(0);
    const job = /Submitted batch job (\d+)/.exec(sbatch.stdout)?.[1];
    expect(job).toBeDefined();

    // The array job's tasks, from their own logs.
    const logs = readdirSync(dir).filter((f) => f.startsWith(`sentiscope-predict-${job}_`));
    expect(logs.sort()).toEqual([0, 1, 2, 3].map((k) => `sentiscope-predict-${job}_${k}.out`));
    for (const [k, log] of logs.entries()) {
      const text = readFileSync(join(dir, log), 'utf8');
      process.stderr.write(`slurm-array.test: ${log}:\n${text}`);
      expect(text).toContain(`sentiscope task ${k} of 4 (job ${job})`);
      expect(text).toContain(`shard ${k}/4: 2 rows`);
    }

    const merged = join(dir, 'merged.csv');
    const merge = await runSentiscope(['merge', '--out', merged, ...[0, 1, 2, 3].map((k) => join(shards, `shard-${k}.csv`))], env);
    expect(merge.code, merge.stderr).toBe(0);
    expect(readFileSync(merged).equals(readFileSync(whole))).toBe(true);
  }, 300_000);
});
