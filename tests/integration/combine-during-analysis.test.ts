// 'project:combine' while an analysis job has the open project: a real job (worker thread,
// the shipped pack) on a short generated clip writes the project file from its own thread,
// so a combine then is refused by name and the file is neither replaced nor changed; once
// the job is over the same combine goes through.

import { copyFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractHandlers, type ServedContract } from '../../src/core/services/contract-handlers';
import { ProjectStore, addMediaFile } from '../../src/core/store';
import type { AnalysisJobStatus } from '../../src/shared/analysis-job';
import type { CombineReport } from '../../src/shared/contract';
import { generateVideoWithAudio, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { refusal } from '../helpers/refusal';

let dir: string;
let team: string;
let ana: string;
let handlers: ServedContract;

beforeAll(async () => {
  dir = await makeTempDir('sentiscope-combine-analysis-');
  const clip = await generateVideoWithAudio(dir, { duration: 2 });
  const base = join(dir, 'base.sentiscope');
  const store = ProjectStore.open(base);
  const media = await addMediaFile(store, clip);
  store.createSegment({ mediaId: media.id, start: 0, end: 2, source: 'manual', text: 'a short clip' });
  store.close();
  team = join(dir, 'team.sentiscope');
  ana = join(dir, 'ana.sentiscope');
  copyFileSync(base, team);
  copyFileSync(base, ana);
  const own = ProjectStore.open(ana);
  const [segment] = own.listSegments(own.listMedia()[0].id);
  own.setMosiLabel({ segmentId: segment.id, annotator: 'ana', values: { score: 2, text: null, audio: null, visual: null } });
  own.close();
  handlers = createContractHandlers({ shell: 'browser', version: '0.0.0-test', dataDir: join(dir, 'data'), projectPath: team });
});
afterAll(async () => {
  handlers?.close();
  await removeTempDir(dir);
});

/** What a combine would change, as another connection reads it: media, and every label and final label. */
function teamContents() {
  const store = ProjectStore.open(team);
  try {
    return store.listMedia().map((m) => ({
      name: m.name,
      identity: m.identity,
      labels: store.listLabels(m.id).map((l) => [l.annotator, l.values]),
      adjudications: store.listAdjudications(m.id).map((a) => [a.adjudicator, a.values]),
    }));
  } finally {
    store.close();
  }
}

async function finished(jobId: string): Promise<AnalysisJobStatus> {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const [job] = (await handlers['analysis:status']({ jobId })) as AnalysisJobStatus[];
    if (job.state !== 'queued' && job.state !== 'running') return job;
    if (Date.now() > deadline) throw new Error(`analysis job still ${job.state} after 150 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("'project:combine' during an analysis", () => {
  it('refuses while a job is running or queued on the project, changing nothing, and combines once it is over', async () => {
    const before = teamContents();
    const inode = statSync(team).ino;
    const [{ id: mediaId }] = await handlers['media:list'](undefined);

    const running = (await handlers['analysis:start']({ mediaId })) as AnalysisJobStatus;
    const queued = (await handlers['analysis:start']({ mediaId })) as AnalysisJobStatus;
    expect([running.state, queued.state]).toEqual(['running', 'queued']);

    const refused = await refusal(Promise.resolve().then(() => handlers['project:combine']({ sources: [ana] })));
    expect(refused.code).toBe('bad-request');
    expect(refused.file).toBe(team);
    expect(refused.message).toMatch(/An analysis is running on .*team\.sentiscope: let it finish \(or cancel it\), then combine\./);
    // Not replaced (a combine renames a new copy into place) and no label of Ana's came in.
    expect(statSync(team).ino).toBe(inode);
    expect(teamContents()).toEqual(before);

    // With the running job over, the queued one alone still holds the project.
    const first = await finished(running.jobId);
    expect(first.state, JSON.stringify(first.error)).toBe('done');
    const [next] = (await handlers['analysis:status']({ jobId: queued.jobId })) as AnalysisJobStatus[];
    if (next.state === 'queued' || next.state === 'running') {
      await refusal(Promise.resolve().then(() => handlers['project:combine']({ sources: [ana] })));
      expect(teamContents()).toEqual(before);
      handlers['analysis:cancel']({ jobId: queued.jobId });
      await finished(queued.jobId);
    }

    // Nothing holds the project now: the same combine goes through and brings Ana's label.
    const report = (await handlers['project:combine']({ sources: [ana] })) as CombineReport;
    expect(report).toMatchObject({ mediaMatched: 1, labelsAdded: 1, conflicts: [], changed: true });
    expect(teamContents()[0].labels).toEqual([['ana', { score: 2, text: null, audio: null, visual: null }]]);
  }, 180_000);
});
