// "A process killed between edits loses nothing saved": a child process runs the real
// ProjectStore (through tsx), is SIGKILLed with edits committed and one in flight, and
// the parent reopens the file and checks every committed edit is there, intact.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../src/core/store';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const storeModule = pathToFileURL(path.join(repoRoot, 'src/core/store/index.ts')).href;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sentiscope-store-kill-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

// The child: argv = file, edits, mode. Modes:
//  between  — N edits, then SIGKILL itself with no transaction open;
//  inside   — N edits, then SIGKILL itself inside a transaction with two uncommitted edits;
//  forever  — one transaction per step (segment + its label), printing each committed
//             step, until the parent kills it.
const CHILD = `
import { ProjectStore } from ${JSON.stringify(storeModule)};

const [file, editsArg, mode] = process.argv.slice(2);
const edits = Number(editsArg);
const store = ProjectStore.open(file);
const media = store.addMedia({ name: 'clip', path: '/media/clip.mp4', kind: 'video' });
const mosi = (score) => ({ score, text: null, audio: null, visual: null });

if (mode === 'forever') {
  for (let i = 1; ; i++) {
    store.transaction(() => {
      const s = store.createSegment({ mediaId: media.id, start: i, end: i + 0.5, source: 'manual', text: 'segment ' + i });
      store.setMosiLabel({ segmentId: s.id, annotator: 'ann', values: mosi((i % 7) - 3) });
    });
    process.stdout.write(i + '\\n');
  }
}

const first = store.createSegment({ mediaId: media.id, start: 0, end: 0.5, source: 'manual', text: 'first' });
for (let i = 1; i <= edits; i++) {
  const s = store.createSegment({ mediaId: media.id, start: i, end: i + 0.5, source: 'manual', text: 'segment ' + i });
  store.setMosiLabel({ segmentId: s.id, annotator: 'ann', values: mosi((i % 7) - 3), notes: 'note ' + i });
  store.addPrediction({
    segmentId: s.id, modelId: 'm', modelVersion: '1', score: i / edits,
    probabilities: { negative: 0.2, neutral: 0.3, positive: 0.5 },
    contributions: { text: i, audio: null, visual: 0 },
  });
  // The same label edited again and again: its last saved value must survive.
  store.setMosiLabel({ segmentId: first.id, annotator: 'ann', values: mosi(Math.round((i / edits) * 30) / 10) });
  store.updateSegment(first.id, { text: 'first, edit ' + i });
}
if (mode === 'inside') {
  store.transaction(() => {
    store.createSegment({ mediaId: media.id, clipId: 'in-flight', start: 99, end: 100, source: 'manual' });
    store.setMosiLabel({ segmentId: first.id, annotator: 'ann', values: mosi(-3) });
    process.kill(process.pid, 'SIGKILL');
  });
} else {
  process.kill(process.pid, 'SIGKILL');
}
console.log('still alive after SIGKILL');
`;
const childFile = path.join(tmp, 'store-child.ts');
fs.writeFileSync(childFile, CHILD);
const childArgs = ['--import', 'tsx', childFile];

function checkIntegrity(file: string): void {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  } finally {
    db.close();
  }
}

describe.each(['between', 'inside'] as const)('a child killed %s edits', (mode) => {
  it('loses no committed edit, and nothing half-done appears', () => {
    const edits = 40;
    const file = path.join(tmp, `killed-${mode}.sentiscope`);
    const child = spawnSync(process.execPath, [...childArgs, file, String(edits), mode], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toContain('still alive');
    // The connection was never closed: the edits are in the write-ahead log, not yet
    // checkpointed into the main file. Reopening must recover them from there.
    expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(0);

    const store = ProjectStore.open(file);
    try {
      const media = store.findMediaByName('clip');
      expect(media).not.toBeNull();
      const mediaId = media!.id;
      const segments = store.listSegments(mediaId);
      expect(segments.map((s) => s.clipId)).toEqual(Array.from({ length: edits + 1 }, (_, i) => String(i + 1)));
      expect(segments[0].text).toBe(`first, edit ${edits}`);
      expect(store.findSegment(mediaId, 'in-flight')).toBeNull();

      const labels = store.listLabels(mediaId);
      expect(labels).toHaveLength(edits + 1);
      const firstLabel = labels.find((l) => l.segmentId === segments[0].id);
      expect(firstLabel?.values).toEqual({ score: 3, text: null, audio: null, visual: null });
      for (let i = 1; i <= edits; i++) {
        const label = labels.find((l) => l.segmentId === segments[i].id);
        expect(label).toMatchObject({ notes: `note ${i}`, values: { score: (i % 7) - 3 } });
      }
      const predictions = store.listPredictions(mediaId);
      expect(predictions.map((p) => p.contributions.text)).toEqual(Array.from({ length: edits }, (_, i) => i + 1));
    } finally {
      store.close();
    }
    checkIntegrity(file);
  });
});

describe('a child killed from outside at an arbitrary moment', () => {
  it('keeps every step it reported as saved, each step whole', async () => {
    const file = path.join(tmp, 'killed-outside.sentiscope');
    const child = spawn(process.execPath, [...childArgs, file, '0', 'forever'], { cwd: repoRoot });
    let reported = 0;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) reported = Math.max(reported, Number(line));
        if (reported >= 60) child.kill('SIGKILL');
      });
      child.on('error', reject);
      child.on('exit', (_code, sig) => resolve(sig));
    });
    expect(stderr).toBe('');
    expect(signal).toBe('SIGKILL');
    expect(reported).toBeGreaterThanOrEqual(60);

    const store = ProjectStore.open(file);
    try {
      const mediaId = store.findMediaByName('clip')!.id;
      const segments = store.listSegments(mediaId);
      // Steps done after the last report, before the kill landed, may be there too.
      expect(segments.length).toBeGreaterThanOrEqual(reported);
      expect(segments.map((s) => s.clipId)).toEqual(segments.map((_, i) => String(i + 1)));
      const labels = store.listLabels(mediaId);
      // Segment and label were one transaction: never one without the other.
      expect(labels.map((l) => l.segmentId)).toEqual(segments.map((s) => s.id));
      labels.forEach((l, i) => expect(l.values).toMatchObject({ score: ((i + 1) % 7) - 3 }));
    } finally {
      store.close();
    }
    checkIntegrity(file);
  });
});
