// `analyze --shard K/N --project` and `sentiscope merge` of project files, through the real
// bin on real MOSI and EmoDB media and real SQLite projects: the merged project holds what
// one unsharded run stores (media in input order, segments, predictions); a set with a
// shard missing is refused naming it, and nothing is written.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/store';
import { MOSI_CLIP, MOSI_WAV, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';
import { TINY_PACK } from '../helpers/shard-input';

const EMODB_WAV = resolve('../shared/data/emodb/wav/03a01Fa.wav');
const FILES = [MOSI_WAV, MOSI_CLIP, EMODB_WAV];

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-analyze-shards-');
});
afterAll(() => removeTempDir(dir));

const analyze = (project: string, ...extra: string[]) =>
  runSentiscope(['analyze', ...FILES, '--project', project, '--model', TINY_PACK, '--device', 'cpu', '--out', `${project}.csv`, ...extra]);

/** What a project holds, without its row ids and times. */
function contents(file: string) {
  const store = ProjectStore.open(file);
  try {
    return store.listMedia().map((m) => ({
      name: m.name,
      path: m.path,
      kind: m.kind,
      identity: m.identity,
      segments: store.listSegments(m.id).map((s) => ({
        clipId: s.clipId,
        start: s.start,
        end: s.end,
        text: s.text,
        source: s.source,
        predictions: store
          .listPredictionsForSegment(s.id)
          .map((p) => [p.modelId, p.modelVersion, p.score, p.probabilities, p.contributions]),
      })),
    }));
  } finally {
    store.close();
  }
}

describe('analyze --shard and merge of projects', () => {
  it('two shard projects merge into what one unsharded run stores; a missing shard is named', async () => {
    const whole = join(dir, 'whole.sentiscope');
    const one = await analyze(whole);
    expect(one.code, one.stderr).toBe(0);

    const shards = [join(dir, 's0.sentiscope'), join(dir, 's1.sentiscope')];
    for (const [k, project] of shards.entries()) {
      const run = await analyze(project, '--shard', `${k}/2`);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`shard ${k}/2: ${[2, 1][k]} of 3 files`);
    }
    expect(contents(shards[1]).map((m) => m.path)).toEqual([MOSI_CLIP]);
    // Run again, a shard resumes (nothing left to predict); another run's shard is refused.
    const resumed = await analyze(shards[0], '--shard', '0/2');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/already have predictions/);
    const other = await analyze(shards[0], '--shard', '0/3');
    expect(other.code).not.toBe(0);
    expect(other.stderr).toMatch(/shard 0\/2 of another run/);

    const missing = await runSentiscope(['merge', '--out', join(dir, 'partial.sentiscope'), shards[0]]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/shard 1\/2 missing/);
    expect(existsSync(join(dir, 'partial.sentiscope'))).toBe(false);

    const merged = join(dir, 'merged.sentiscope');
    const merge = await runSentiscope(['merge', '--out', merged, shards[1], shards[0]]);
    expect(merge.code, merge.stderr).toBe(0);
    const expected = contents(whole);
    // listMedia orders by name; the merged project must list the same media the same way.
    expect(expected.map((m) => m.path).sort()).toEqual([...FILES].sort());
    expect(expected.every((m) => m.segments.length > 0 && m.segments.every((s) => s.predictions.length === 1))).toBe(true);
    expect(contents(merged)).toEqual(expected);

    const again = await runSentiscope(['merge', '--out', merged, ...shards]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists/);
  }, 600_000);
});
