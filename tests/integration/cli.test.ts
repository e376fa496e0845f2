// The `sentiscope` command as a user runs it: the real bin, real ffmpeg, real SQLite.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/csv';
import { MOSI_CLIP, makeTempDir, removeTempDir, textFileAsMedia, truncatedCopy } from '../helpers/generate-media';

const BIN = resolve('bin/sentiscope.js');
const MOSI_SEGMENTS = resolve('../shared/data/mosi/segments.csv');

function sentiscope(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function rowsByKey(csvText: string): Map<string, Record<string, string>> {
  const { header, rows } = parseCsv(csvText);
  const out = new Map<string, Record<string, string>>();
  for (const row of rows) {
    const record = Object.fromEntries(header.map((h, i) => [h, row.cells[i] ?? '']));
    out.set(`${record.video_id}/${record.clip_id}`, record);
  }
  return out;
}

/** ../shared/data/mosi/segments.csv rewritten as MMSA label.csv (dev -> valid). */
function mosiSegmentsAsLabelCsv(): string {
  const { header, rows } = parseCsv(readFileSync(MOSI_SEGMENTS, 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode,start_s,end_s'];
  for (const { cells } of rows) {
    const label = cells[col('label')];
    const annotation = label === '' ? '' : Number(label) > 0 ? 'Positive' : Number(label) < 0 ? 'Negative' : 'Neutral';
    const split = cells[col('split')];
    const mode = split === 'dev' ? 'valid' : split === 'train' || split === 'test' ? split : '';
    lines.push(
      [
        cells[col('video_id')],
        cells[col('clip_id')],
        quote(cells[col('text')]),
        label,
        '',
        '',
        '',
        annotation,
        mode,
        cells[col('start_s')],
        cells[col('end_s')],
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-cli-');
});
afterAll(() => removeTempDir(dir));

describe('sentiscope info', () => {
  it('reports the ffmpeg in use, and probes through ffmpeg when ffprobe is switched off', () => {
    const env = { ...process.env, SENTISCOPE_FFPROBE: 'none' };
    const info = spawnSync(process.execPath, [BIN, 'info'], { encoding: 'utf8', env });
    expect(info.status, info.stderr).toBe(0);
    const tools = JSON.parse(info.stdout);
    expect(tools.ffmpeg.version).toMatch(/\S/);
    expect(tools.ffprobe).toBeNull();
    const probe = spawnSync(process.execPath, [BIN, 'probe', MOSI_CLIP], { encoding: 'utf8', env });
    expect(probe.status, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout)).toMatchObject({ video: { width: 480, height: 360, fps: 30 }, audio: { sampleRate: 44100 } });
  });
});

describe('sentiscope models', () => {
  it('lists fusion packs and component models with size, license and origin, and says why a pack is refused', () => {
    const root = join(dir, 'models-root');
    cpSync(resolve('tests/fixtures/packs/tiny-late-fusion'), join(root, 'tiny-late-fusion'), { recursive: true });
    cpSync(resolve('tests/fixtures/packs/tiny-late-fusion'), join(root, 'broken'), { recursive: true });
    rmSync(join(root, 'broken', 'fusion.onnx'));
    const env = { ...process.env, SENTISCOPE_MODELS: root };
    const run = spawnSync(process.execPath, [BIN, 'models'], { encoding: 'utf8', env });
    expect(run.status, run.stderr).toBe(0);
    const models = JSON.parse(run.stdout) as {
      kind: string;
      id: string;
      bytes: number;
      license: string;
      source: string;
      problem: string | null;
      isDefault: boolean;
    }[];
    const packs = models.filter((m) => m.kind === 'fusion-pack');
    expect(packs.find((m) => m.id === 'tiny-late-fusion')).toMatchObject({ problem: null, isDefault: true });
    expect(packs.find((m) => m.id === 'broken')?.problem).toContain('fusion.onnx');
    const components = models.filter((m) => m.kind === 'component').map((m) => m.id);
    expect(components).toEqual(['face/blazeface', 'face/emotion', 'vad/silero']);
    for (const m of models.filter((x) => !x.problem)) {
      expect(m.bytes, m.id).toBeGreaterThan(0);
      expect(m.license, m.id).not.toBe('');
      expect(m.source, m.id).not.toBe('');
    }
  });
});

describe('sentiscope probe', () => {
  it('prints the MOSI clip as JSON: 7.5 s, 480x360 at 30 fps, 44.1 kHz stereo', () => {
    const run = sentiscope('probe', MOSI_CLIP);
    expect(run.code).toBe(0);
    const info = JSON.parse(run.stdout);
    expect(info.duration).toBeCloseTo(7.5, 2);
    expect(info.video).toMatchObject({ width: 480, height: 360, fps: 30 });
    expect(info.audio).toMatchObject({ sampleRate: 44100, channels: 2 });
  });

  it('fails with one line naming the file for a truncated copy, a text file and a missing path', async () => {
    const truncated = await truncatedCopy(MOSI_CLIP, dir, { name: 'truncated.mp4' });
    const text = await textFileAsMedia(dir, 'notes.mp4');
    const missing = join(dir, 'nowhere.mp4');
    for (const file of [truncated, text, missing]) {
      const run = sentiscope('probe', file);
      expect(run.code, file).not.toBe(0);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(file);
    }
  });

  it('is a usage error without a file', () => {
    expect(sentiscope('probe').code).toBe(2);
  });
});

describe('sentiscope import / export', () => {
  it('gives back every labelled MOSI row byte-identical through label.csv', () => {
    const labelCsv = join(dir, 'mosi-label.csv');
    writeFileSync(labelCsv, mosiSegmentsAsLabelCsv());
    const project = join(dir, 'mosi.sentiscope');

    const imported = sentiscope('import', '--project', project, '--format', 'mosi', labelCsv);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ segments: 2199, labels: 1514, mediaCreated: 93 });

    const exported = join(dir, 'exported.csv');
    const run = sentiscope('export', '--project', project, '--format', 'mosi', '--out', exported);
    expect(run.code, run.stderr).toBe(0);

    const source = rowsByKey(readFileSync(labelCsv, 'utf8'));
    const back = rowsByKey(readFileSync(exported, 'utf8'));
    const labelled = [...source.entries()].filter(([, r]) => r.label !== '');
    expect(labelled).toHaveLength(1514);
    expect(back.size).toBe(1514);
    for (const [key, row] of labelled) {
      const out = back.get(key)!;
      for (const column of ['label', 'text', 'annotation', 'mode', 'start_s', 'end_s']) {
        expect(out[column], `${key} ${column}`).toBe(row[column]);
      }
    }
    expect(readFileSync(exported, 'utf8').split('\n')[0]).toMatch(
      /^video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode(,|$)/,
    );
  });

  it('refuses a CSV with a bad row whole, naming its line, and leaves the project unchanged', () => {
    const project = join(dir, 'refuse.sentiscope');
    const good = join(dir, 'good.csv');
    writeFileSync(good, 'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode\nv1,1,fine,1.0,,,,,train\n');
    expect(sentiscope('import', '--project', project, '--format', 'mosi', good).code).toBe(0);

    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode\n' +
        'v2,1,ok,0.5,,,,,train\n' +
        'v2,2,ok too,-1,,,,,train\n' +
        'v2,3,out of range,7,,,,,train\n',
    );
    const run = sentiscope('import', '--project', project, '--format', 'mosi', bad);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(bad);
    expect(run.stderr).toContain('line 4');

    const db = new Database(project, { readonly: true });
    try {
      expect(db.prepare('SELECT name FROM media').pluck().all()).toEqual(['v1']);
      expect(db.prepare('SELECT COUNT(*) FROM segment').pluck().get()).toBe(1);
      expect(db.prepare('SELECT COUNT(*) FROM label').pluck().get()).toBe(1);
    } finally {
      db.close();
    }
  });

  it('puts an SRT transcript on the timeline of the media it names', () => {
    const project = join(dir, 'srt.sentiscope');
    const srt = join(dir, 'clip.srt');
    writeFileSync(srt, '1\n00:00:00,500 --> 00:00:03,000\nfirst words\n\n2\n00:00:03,200 --> 00:00:07,000\nand the rest\n');
    const run = sentiscope('import', '--project', project, '--format', 'srt', srt, '--media-file', MOSI_CLIP);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ segments: 2 });
    const db = new Database(project, { readonly: true });
    try {
      const segments = db.prepare('SELECT start_s, end_s, text, source FROM segment ORDER BY start_s').all();
      expect(segments).toEqual([
        { start_s: 0.5, end_s: 3, text: 'first words', source: 'import' },
        { start_s: 3.2, end_s: 7, text: 'and the rest', source: 'import' },
      ]);
      expect(db.prepare('SELECT path FROM media').pluck().get()).toBe(MOSI_CLIP);
    } finally {
      db.close();
    }

    const back = join(dir, 'back.srt');
    const exported = sentiscope('export', '--project', project, '--format', 'srt', '--media', 'Oz06ZWiO20M_6', '--out', back);
    expect(exported.code, exported.stderr).toBe(0);
    expect(readFileSync(back, 'utf8')).toBe(readFileSync(srt, 'utf8'));
    const vtt = join(dir, 'back.vtt');
    expect(sentiscope('export', '--project', project, '--format', 'vtt', '--media', 'Oz06ZWiO20M_6', '--out', vtt).code).toBe(0);
    expect(readFileSync(vtt, 'utf8')).toContain('00:00:03.200 --> 00:00:07.000\nand the rest');
    const unknown = sentiscope('export', '--project', project, '--format', 'srt', '--media', 'nope', '--out', back);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no media named 'nope'");
  });
});

describe('sentiscope eval', () => {
  it('prints the MMSA metrics, with Has0 and Non0 differing on a zero label', () => {
    // gold:  2, -1, 0, 1 ; pred: 1.6, 0.4, -0.5, 2.8
    // Has0 (>= 0 positive): gold P N P P, pred P P N P -> 2 of 4 right = 0.5
    // Non0 drops the gold 0: gold P N P, pred P P P -> 2 of 3 right
    // Acc-7 on round(clip): gold 2,-1,0,1 vs pred 2,0,0,3 (half-even: -0.5 -> 0) -> a and c right = 0.5
    // MAE: (0.4 + 1.4 + 0.5 + 1.8) / 4 = 1.025
    const gold = join(dir, 'gold.csv');
    const pred = join(dir, 'pred.csv');
    writeFileSync(gold, 'id,label\na,2\nb,-1\nc,0\nd,1\ne,\n');
    writeFileSync(pred, 'id,pred_score\nd,2.8\nc,-0.5\nb,0.4\na,1.6\n');
    const run = sentiscope('eval', '--gold', gold, '--pred', pred, '--scheme', 'mosi');
    expect(run.code, run.stderr).toBe(0);
    const metrics = JSON.parse(run.stdout);
    expect(metrics.n).toBe(4);
    expect(metrics.acc2_has0).toBeCloseTo(0.5, 10);
    expect(metrics.acc2_non0).toBeCloseTo(2 / 3, 10);
    expect(metrics.acc7).toBeCloseTo(0.5, 10);
    expect(metrics.mae).toBeCloseTo(1.025, 10);
    for (const key of ['f1_has0', 'f1_non0', 'corr']) expect(typeof metrics[key]).toBe('number');
  });

  it('scores MVSA labels with accuracy and weighted F1', () => {
    // gold pos, pos, neg, neu ; pred pos, neg, neg, neu -> acc 3/4
    // F1: pos P=1 R=.5 F=2/3 (support 2); neg P=.5 R=1 F=2/3 (1); neu F=1 (1) -> (4/3+2/3+1)/4 = 0.75
    const gold = join(dir, 'mvsa-gold.csv');
    const pred = join(dir, 'mvsa-pred.csv');
    writeFileSync(gold, 'id,text,image,label\n1,a,,positive\n2,b,,positive\n3,c,,negative\n4,d,,neutral\n');
    writeFileSync(pred, 'id,pred_label\n1,positive\n2,negative\n3,negative\n4,neutral\n');
    const run = sentiscope('eval', '--gold', gold, '--pred', pred, '--scheme', 'mvsa');
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ acc: 0.75, f1_weighted: expect.closeTo(0.75, 10), n: 4 });
  });

  it('refuses a prediction file that misses gold rows, naming it', () => {
    const gold = join(dir, 'gold2.csv');
    const pred = join(dir, 'pred2.csv');
    writeFileSync(gold, 'id,label\na,1\nb,2\n');
    writeFileSync(pred, 'id,pred_score\na,1\n');
    const run = sentiscope('eval', '--gold', gold, '--pred', pred, '--scheme', 'mosi');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(pred);
  });
});

describe('sentiscope serve', () => {
  it('prints the tokened URL first and answers ping only with the token', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--project', join(dir, 'serve.sentiscope')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const firstLine = await new Promise<string>((done, fail) => {
        createInterface({ input: child.stdout! }).once('line', done);
        child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
      });
      const url = new URL(firstLine);
      expect(url.hostname).toBe('127.0.0.1');
      const token = url.searchParams.get('token')!;
      expect(token.length).toBeGreaterThan(20);

      const ping = `${url.origin}/api/ping`;
      expect((await fetch(ping)).status).toBe(401);
      const ok = await fetch(ping, { headers: { Authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ok: true });

      const info = await fetch(`${url.origin}/api/app:info`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: 'null',
      });
      const body = (await info.json()) as { result: { projectPath: string; ffmpeg: { version: string } } };
      expect(body.result.projectPath).toBe(join(dir, 'serve.sentiscope'));
      expect(body.result.ffmpeg.version).not.toBe('');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
