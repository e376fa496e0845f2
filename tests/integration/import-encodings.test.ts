// What Excel's "Unicode text" and other editors save, imported through the real CLI into a real project.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIntoProject } from '../../src/core/services/project-import';
import { ProjectStore } from '../../src/core/store';
import { makeTempDir, removeTempDir } from '../helpers/generate-media';
import { runSentiscope } from '../helpers/sentiscope-cli';

const LABELS =
  'video_id,clip_id,text,label,label_T,label_A,label_V,annotation,mode\r\n' +
  'vid,1,très bien 😀,2.2,,,,,train\r\n' +
  'vid,2,"schlecht, sagt er",-1.4,,,,,test\r\n';

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-encodings-');
});
afterAll(() => removeTempDir(dir));

function utf16le(text: string, bom: boolean): Buffer {
  return Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
}

describe('importing label files by encoding', () => {
  it('imports a label.csv saved as UTF-16 LE with a BOM', async () => {
    const file = join(dir, 'label-utf16.csv');
    writeFileSync(file, utf16le(LABELS, true));
    const project = join(dir, 'utf16.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'mosi', file, '--annotator', 'ann']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ segments: 2, labels: 2 });
    const store = ProjectStore.open(project);
    try {
      const media = store.findMediaByName('vid')!;
      expect(store.listSegments(media.id).map((s) => s.text)).toEqual(['très bien 😀', 'schlecht, sagt er']);
      expect(store.listLabels(media.id).map((l) => l.values)).toEqual([
        { score: 2.2, text: null, audio: null, visual: null },
        { score: -1.4, text: null, audio: null, visual: null },
      ]);
    } finally {
      store.close();
    }
  });

  it('imports what Excel\'s "Unicode text" saves: UTF-16 LE with a BOM, tab-separated', async () => {
    const file = join(dir, 'label-excel.txt');
    const tsv =
      'video_id\tclip_id\ttext\tlabel\tlabel_T\tlabel_A\tlabel_V\tannotation\tmode\r\n' +
      'vid\t1\ttrès bien 😀\t2.2\t\t\t\t\ttrain\r\n' +
      'vid\t2\t"schlecht, sagt er"\t-1.4\t\t\t\t\ttest\r\n';
    writeFileSync(file, utf16le(tsv, true));
    expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xfe]));
    const project = join(dir, 'excel.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'mosi', file]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ segments: 2, labels: 2 });
    const store = ProjectStore.open(project);
    try {
      const media = store.findMediaByName('vid')!;
      expect(store.listSegments(media.id).map((s) => [s.text, s.split])).toEqual([
        ['très bien 😀', 'train'],
        ['schlecht, sagt er', 'test'],
      ]);
    } finally {
      store.close();
    }
  });

  it('refuses one with no BOM, naming the file and the encoding, and imports nothing', async () => {
    const file = join(dir, 'label-nobom.csv');
    writeFileSync(file, utf16le(LABELS, false));
    const project = join(dir, 'nobom.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'mosi', file]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${file} line 1: looks like UTF-16LE without a byte-order mark`);
    expect(run.stderr).not.toContain('cells');
    const store = ProjectStore.open(project);
    try {
      expect(store.listMedia()).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('reads a UTF-16 BE SRT transcript with a BOM', async () => {
    const file = join(dir, 'talk.srt');
    const be = Buffer.from('\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\nGrüße\r\n', 'utf16le').swap16();
    writeFileSync(file, be);
    const store = ProjectStore.open(join(dir, 'srt.sentiscope'));
    try {
      const media = store.addMedia({ name: 'talk' });
      await importIntoProject(store, { format: 'srt', path: file, mediaId: media.id });
      expect(store.listSegments(media.id).map((s) => [s.start, s.end, s.text])).toEqual([[1, 2.5, 'Grüße']]);
    } finally {
      store.close();
    }
  });
});
