// `features --shard K/N` and `sentiscope merge` of feature folders, through the real bin on
// real MOSI text and media: the merged folder must be file for file, byte for byte, one
// unsharded run (with --sequences, so the ragged frames and their offsets are merged too);
// a set with a shard missing is refused naming it; a finished shard run again is skipped.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';
import { writeShardInput } from '../helpers/shard-input';

let dir: string;
let input: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-feature-shards-');
  input = await writeShardInput(dir, 7);
}, 60_000);
afterAll(() => removeTempDir(dir));

const features = (out: string, ...extra: string[]) => runSentiscope(['features', '--in', input, '--out', out, '--sequences', ...extra]);

const filesOf = (folder: string) =>
  Object.fromEntries(
    readdirSync(folder)
      .sort()
      .map((name) => [name, readFileSync(join(folder, name)).toString('base64')]),
  );

describe('features --shard and merge', () => {
  it('three shard folders merge into exactly the unsharded folder; a missing shard is named; a finished shard is skipped', async () => {
    const whole = join(dir, 'whole');
    const run = await features(whole);
    expect(run.code, run.stderr).toBe(0);

    const shards: string[] = [];
    for (let k = 0; k < 3; k++) {
      const out = join(dir, `s${k}of3`);
      const shardRun = await features(out, '--shard', `${k}/3`);
      expect(shardRun.code, shardRun.stderr).toBe(0);
      expect(JSON.parse(shardRun.stdout).rows).toBe([3, 2, 2][k]);
      expect(JSON.parse(readFileSync(`${out}.shard.json`, 'utf8'))).toMatchObject({
        command: 'features',
        output: 'features',
        input: 'segments.csv',
        input_items: 7,
        k,
        n: 3,
        pack_version: '1+sequences',
        items: [3, 2, 2][k],
        complete: true,
      });
      shards.push(out);
    }

    const merged = join(dir, 'merged');
    const merge = await runSentiscope(['merge', '--out', merged, ...shards]);
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stderr).toMatch(/3 shards of segments\.csv \(features\), 7 items/);
    const expected = filesOf(whole);
    expect(Object.keys(expected)).toContain('visual_frame_offsets.npy');
    expect(filesOf(merged)).toEqual(expected);

    const partial = await runSentiscope(['merge', '--out', join(dir, 'partial'), shards[0], shards[2]]);
    expect(partial.code).not.toBe(0);
    expect(partial.stderr).toMatch(/shard 1\/3 missing/);

    const again = await features(shards[1], '--shard', '1/3');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/shard 1\/3 already finished/);
  }, 300_000);
});
