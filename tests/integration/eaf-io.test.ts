// ELAN .eaf export and import through the real CLI, a real project file and the real MOSI clip;
// exported files are checked against the EAF 3.0 schema with xmllint.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMediaFile, ProjectStore } from '../../src/core/store';
import { MOSI_CLIP, makeTempDir, removeTempDir } from '../helpers/generate-media';
import { mediaContents } from '../helpers/media-contents';
import { runSentiscope } from '../helpers/sentiscope-cli';

const SCHEMA = join(import.meta.dirname, '../../../shared/design/formats/EAFv3.0.xsd');
const XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
if (!XMLLINT) console.warn('eaf-io: xmllint is absent (Debian libxml2-utils): the schema checks are SKIPPED');

function validate(file: string): { status: number | null; stderr: string } {
  const run = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await makeTempDir('sentiscope-eaf-');
});
afterAll(() => removeTempDir(dir));

async function labelledProject(path: string): Promise<void> {
  const store = ProjectStore.open(path);
  try {
    const media = await addMediaFile(store, MOSI_CLIP);
    const s1 = store.createSegment({ mediaId: media.id, start: 0.5, end: 2.345, source: 'manual', text: 'I <really> liked "it" & more' });
    const s2 = store.createSegment({ mediaId: media.id, start: 2.345, end: 4.1, source: 'manual', text: 'but the end' });
    const s3 = store.createSegment({ mediaId: media.id, start: 5, end: 7.25, source: 'manual', text: '' });
    store.setMosiLabel({ segmentId: s1.id, annotator: 'ann_a', values: { score: 2.4, text: 3, audio: null, visual: 1 } });
    store.setMosiLabel({ segmentId: s1.id, annotator: 'ann b', values: { score: 1.6, text: null, audio: null, visual: null } });
    store.setMosiLabel({ segmentId: s2.id, annotator: 'ann_a', values: { score: -0.8, text: null, audio: -1, visual: null } });
    store.setMosiLabel({ segmentId: s3.id, annotator: 'ann b', values: { score: 0, text: null, audio: null, visual: null } });
    store.setMvsaLabel({ segmentId: s2.id, annotator: 'ann b', values: { text: 'negative', image: 'neutral', pair: null } });
    // A model's prediction is not a label: it must not reach the file.
    store.addPrediction({
      segmentId: s3.id,
      modelId: 'late-fusion',
      modelVersion: '1',
      score: -2.5,
      probabilities: { negative: 0.9, neutral: 0.05, positive: 0.05 },
      contributions: { text: null, audio: -1, visual: -1 },
    });
  } finally {
    store.close();
  }
}

describe('ELAN export and import', () => {
  const source = () => join(dir, 'source.sentiscope');
  const eaf = () => join(dir, 'clip.eaf');

  beforeAll(async () => {
    await labelledProject(source());
    const run = await runSentiscope(['export', '--project', source(), '--format', 'eaf', '--media', 'Oz06ZWiO20M_6', '--out', eaf()]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ format: 'eaf', rows: 3 });
  });

  it.skipIf(!XMLLINT)('writes a file valid against EAF 3.0', () => {
    const result = validate(eaf());
    expect(result.stderr).toContain('validates');
    expect(result.status).toBe(0);
  });

  it('writes a transcript tier and one tier per annotator and field, in ms, linked to the media', () => {
    const xml = readFileSync(eaf(), 'utf8');
    const tiers = [...xml.matchAll(/<TIER LINGUISTIC_TYPE_REF="([^"]+)" TIER_ID="([^"]+)"/g)].map((m) => `${m[2]}:${m[1]}`);
    expect(tiers).toEqual([
      'transcript:transcript',
      'ann b score:mosi-score',
      'ann b text_label:mvsa-polarity',
      'ann b image_label:mvsa-polarity',
      'ann_a score:mosi-score',
      'ann_a text:mosi-score',
      'ann_a audio:mosi-score',
      'ann_a visual:mosi-score',
    ]);
    expect(xml).toContain('TIER_ID="ann_a score" ANNOTATOR="ann_a"');
    expect([...xml.matchAll(/TIME_VALUE="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([500, 2345, 4100, 5000, 7250]);
    expect(xml).toContain(`MEDIA_URL="${pathToFileURL(MOSI_CLIP).href}" MIME_TYPE="video/mp4"`);
    expect(xml).toMatch(/RELATIVE_MEDIA_URL="(\.\.\/)+[^"]*shared\/data\/mosi\/media\/Oz06ZWiO20M_6\.mp4"/);
    expect(xml).toContain('<ANNOTATION_VALUE>I &lt;really&gt; liked "it" &amp; more</ANNOTATION_VALUE>');
    expect(xml).toContain('CONTROLLED_VOCABULARY_REF="polarity"');
    expect(xml).toContain('<CVE_VALUE LANG_REF="eng">neutral</CVE_VALUE>');
    expect(xml).not.toContain('-2.5');
  });

  it('gives back every span (to the ms), text and label per annotator in a new project', async () => {
    const copy = join(dir, 'copy.sentiscope');
    const run = await runSentiscope(['import', '--project', copy, '--format', 'eaf', eaf()]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ mediaCreated: 1, segments: 3, labels: 5, skippedTiers: [] });
    const [a, b] = [ProjectStore.open(source()), ProjectStore.open(copy)];
    try {
      // The media file was found from the descriptor, probed, and attached.
      expect(b.findMediaByName('Oz06ZWiO20M_6')).toMatchObject({ path: MOSI_CLIP, kind: 'video' });
      const [before, after] = [mediaContents(a, 'Oz06ZWiO20M_6'), mediaContents(b, 'Oz06ZWiO20M_6')];
      expect(after).toEqual(before);
      expect(after.labels.filter((l) => l.scheme === 'mosi').map((l) => l.annotator)).toEqual(['ann b', 'ann_a', 'ann_a', 'ann b']);
      expect(b.listPredictions(b.findMediaByName('Oz06ZWiO20M_6')!.id)).toEqual([]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('exports one annotator only with --annotator', async () => {
    const out = join(dir, 'only-a.eaf');
    const run = await runSentiscope([
      'export',
      '--project',
      source(),
      '--format',
      'eaf',
      '--media',
      'Oz06ZWiO20M_6',
      '--annotator',
      'ann_a',
      '--out',
      out,
    ]);
    expect(run.code).toBe(0);
    const tiers = [...readFileSync(out, 'utf8').matchAll(/TIER_ID="([^"]+)"/g)].map((m) => m[1]);
    expect(tiers).toEqual(['transcript', 'ann_a score', 'ann_a text', 'ann_a audio', 'ann_a visual']);
  });

  it('finds media by its relative path when the name has spaces and accents and the folder moved', async () => {
    const folder = await makeTempDir('sentiscope-eaf-moved-');
    try {
      mkdirSync(join(folder, 'media'));
      mkdirSync(join(folder, 'notes'));
      const clip = join(folder, 'media', 'entrevue é 1.mp4');
      copyFileSync(MOSI_CLIP, clip);
      const project = join(folder, 'p.sentiscope');
      const store = ProjectStore.open(project);
      const media = await addMediaFile(store, clip);
      store.createSegment({ mediaId: media.id, start: 1, end: 2, source: 'manual', text: 'oui' });
      store.close();
      const out = join(folder, 'notes', 'entrevue.eaf');
      expect((await runSentiscope(['export', '--project', project, '--format', 'eaf', '--media', media.name, '--out', out])).code).toBe(0);
      expect(readFileSync(out, 'utf8')).toContain('RELATIVE_MEDIA_URL="../media/entrevue%20%C3%A9%201.mp4"');
      if (XMLLINT) expect(validate(out).status).toBe(0);
      // The whole folder moves: the absolute URL is stale, the relative path still holds.
      const moved = `${folder}-moved`;
      renameSync(folder, moved);
      try {
        const copy = join(moved, 'copy.sentiscope');
        const run = await runSentiscope(['import', '--project', copy, '--format', 'eaf', join(moved, 'notes', 'entrevue.eaf')]);
        expect(run.stderr).toBe('');
        const imported = ProjectStore.open(copy);
        expect(imported.listMedia().map((m) => m.path)).toEqual([join(moved, 'media', 'entrevue é 1.mp4')]);
        imported.close();
      } finally {
        renameSync(moved, folder);
      }
    } finally {
      await removeTempDir(folder);
    }
  });

  it('puts overlapping segments (as in CMU-MOSI) on further lanes of tiers, and reads them back', async () => {
    const project = join(dir, 'overlap.sentiscope');
    const store = ProjectStore.open(project);
    const media = store.addMedia({ name: 'talk' });
    const a = store.createSegment({ mediaId: media.id, clipId: 'a', start: 1, end: 3, source: 'manual', text: 'first' });
    const b = store.createSegment({ mediaId: media.id, clipId: 'b', start: 2.5, end: 4, source: 'manual', text: 'second' });
    store.createSegment({ mediaId: media.id, clipId: 'c', start: 4, end: 5, source: 'manual', text: 'third' });
    // The very same span twice, and one nearly the same (IoU >= 0.9): still three segments.
    store.createSegment({ mediaId: media.id, clipId: 'd', start: 4, end: 5, source: 'manual', text: 'third again' });
    store.createSegment({ mediaId: media.id, clipId: 'e', start: 1.06, end: 3, source: 'manual', text: 'near first' });
    store.setMosiLabel({ segmentId: a.id, annotator: 'ann_a', values: { score: 1, text: null, audio: null, visual: null } });
    store.setMosiLabel({ segmentId: b.id, annotator: 'ann_a', values: { score: -1, text: null, audio: null, visual: null } });
    store.close();
    const out = join(dir, 'overlap.eaf');
    const run = await runSentiscope(['export', '--project', project, '--format', 'eaf', '--media', 'talk', '--out', out]);
    expect(run.stderr).toBe('');
    const xml = readFileSync(out, 'utf8');
    expect([...xml.matchAll(/TIER_ID="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'transcript',
      'transcript 2',
      'transcript 3',
      'ann_a score',
      'ann_a score 3',
    ]);
    if (XMLLINT) expect(validate(out).status).toBe(0);
    const copy = join(dir, 'overlap-copy.sentiscope');
    const back = await runSentiscope(['import', '--project', copy, '--format', 'eaf', out]);
    expect(JSON.parse(back.stdout)).toMatchObject({ segments: 5, labels: 2, skippedTiers: [] });
    const [before, after] = [ProjectStore.open(project), ProjectStore.open(copy)];
    try {
      expect(mediaContents(after, 'talk')).toEqual(mediaContents(before, 'talk'));
    } finally {
      before.close();
      after.close();
    }
  });
});

/** An .eaf as ELAN itself writes one: a dependent (reference) tier, a tier of its own, no Sentiscope property. */
function elanFile(tiers: string, slots = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2024-05-01T10:00:00+02:00" FORMAT="3.0" VERSION="3.0">
    <HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">
        <MEDIA_DESCRIPTOR MEDIA_URL="file:///nowhere/interview.wav" MIME_TYPE="audio/x-wav" RELATIVE_MEDIA_URL="./interview.wav"/>
    </HEADER>
    <TIME_ORDER>
        <TIME_SLOT TIME_SLOT_ID="ts1" TIME_VALUE="1000"/>
        <TIME_SLOT TIME_SLOT_ID="ts2" TIME_VALUE="2500"/>
        <TIME_SLOT TIME_SLOT_ID="ts3" TIME_VALUE="4000"/>
        <TIME_SLOT TIME_SLOT_ID="ts4" TIME_VALUE="6000"/>${slots}
    </TIME_ORDER>
${tiers}
    <LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
</ANNOTATION_DOCUMENT>
`;
}

const annotation = (id: string, r1: string, r2: string, value: string) =>
  `<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="${id}" TIME_SLOT_REF1="${r1}" TIME_SLOT_REF2="${r2}"><ANNOTATION_VALUE>${value}</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>`;

describe('importing files ELAN users made', () => {
  it('reads reference annotations, reports tiers it does not know, and names media after the descriptor', async () => {
    const file = join(dir, 'interview.eaf');
    writeFileSync(
      file,
      elanFile(`    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="transcript">${annotation('a1', 'ts1', 'ts2', 'hello there')}${annotation('a2', 'ts3', 'ts4', 'so sad')}</TIER>
    <TIER LINGUISTIC_TYPE_REF="assoc" PARENT_REF="transcript" TIER_ID="maria score">
        <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a3" ANNOTATION_REF="a1"><ANNOTATION_VALUE>1.5</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
        <ANNOTATION><REF_ANNOTATION ANNOTATION_ID="a4" ANNOTATION_REF="a2"><ANNOTATION_VALUE>-2</ANNOTATION_VALUE></REF_ANNOTATION></ANNOTATION>
    </TIER>
    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="gesture">${annotation('a5', 'ts1', 'ts3', 'nod')}</TIER>`),
    );
    const project = join(dir, 'interview.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'eaf', file]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ mediaCreated: 1, segments: 2, labels: 2, skippedTiers: ['gesture'] });
    const store = ProjectStore.open(project);
    try {
      expect(mediaContents(store, 'interview')).toEqual({
        segments: [
          { start: 1, end: 2.5, text: 'hello there' },
          { start: 4, end: 6, text: 'so sad' },
        ],
        labels: [
          { span: '1-2.5', annotator: 'maria', scheme: 'mosi', values: { score: 1.5, text: null, audio: null, visual: null } },
          { span: '4-6', annotator: 'maria', scheme: 'mosi', values: { score: -2, text: null, audio: null, visual: null } },
        ],
      });
    } finally {
      store.close();
    }
  });

  it('refuses overlapping annotations on one tier with their times, importing nothing', async () => {
    const file = join(dir, 'overlap.eaf');
    writeFileSync(
      file,
      elanFile(
        `    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="transcript">${annotation('a1', 'ts1', 'ts3', 'one')}${annotation('a2', 'ts2', 'ts4', 'two')}</TIER>`,
      ),
    );
    const project = join(dir, 'refused.sentiscope');
    const run = await runSentiscope(['import', '--project', project, '--format', 'eaf', file]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(`${file} line 12: tier "transcript": annotations overlap: 1.000–4.000 s and 2.500–6.000 s`);
    const store = ProjectStore.open(project);
    expect(store.listMedia()).toEqual([]);
    store.close();
  });

  it('refuses bad values and broken XML with their lines', async () => {
    const bad = join(dir, 'bad-values.eaf');
    writeFileSync(
      bad,
      elanFile(
        `    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="jo score">${annotation('a1', 'ts1', 'ts2', 'great')}</TIER>
    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="jo text">${annotation('a2', 'ts3', 'ts4', '2')}</TIER>`,
      ),
    );
    const run = await runSentiscope(['import', '--project', join(dir, 'bad.sentiscope'), '--format', 'eaf', bad]);
    expect(run.stderr).toContain(`${bad} line 12: tier "jo score" at 1.000–2.500 s: "great" is not a score in [-3, 3]`);
    expect(run.stderr).toContain(`line 13: "jo" has per-modality scores at 4.000–6.000 s but no "jo score" there`);

    const broken = join(dir, 'broken.eaf');
    writeFileSync(broken, '<?xml version="1.0"?>\n<ANNOTATION_DOCUMENT>\n  <HEADER>\n</ANNOTATION_DOCUMENT>\n');
    const again = await runSentiscope(['import', '--project', join(dir, 'bad.sentiscope'), '--format', 'eaf', broken]);
    expect(again.stderr).toContain(`${broken} line 4: not well-formed XML: </ANNOTATION_DOCUMENT> closes <HEADER> (opened on line 3)`);
  });
});

/** Samples on the 10 Hz grid from tick `from`, one per value. */
const take = (from: number, values: number[]) => values.map((value, i) => ({ time: (from + i) / 10, value }));

describe('rating traces through .eaf', () => {
  const project = () => join(dir, 'traces.sentiscope');
  const eaf = () => join(dir, 'traces.eaf');

  beforeAll(async () => {
    const store = ProjectStore.open(project());
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      store.createSegment({ mediaId: media.id, start: 0.5, end: 2, source: 'manual', text: 'so' });
      // A held key (one run), a moving mouse (a run per sample), a gap, values at both ends of the scale.
      store.replaceTrace({
        mediaId: media.id,
        annotator: 'ann_a',
        start: 0,
        end: 0.9,
        samples: take(0, [0, 0, 0, 1.5, 1.5, 1.52, 1.55, -0.25, -3, 3]),
      });
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 5.3, end: 5.5, samples: take(53, [2, 2, 0.01]) });
      store.replaceTrace({ mediaId: media.id, annotator: 'ann b', start: 7.4, end: 7.5, samples: take(74, [-1, -1]) });
    } finally {
      store.close();
    }
    const run = await runSentiscope(['export', '--project', project(), '--format', 'eaf', '--media', 'Oz06ZWiO20M_6', '--out', eaf()]);
    expect(run.stderr).toBe('');
  });

  it('gives back every sample of every annotator (value and tick) in a new project', async () => {
    if (XMLLINT) expect(validate(eaf()).status).toBe(0);
    const copy = join(dir, 'traces-copy.sentiscope');
    const run = await runSentiscope(['import', '--project', copy, '--format', 'eaf', eaf()]);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ segments: 1, labels: 0, traces: 2, traceSamples: 15, skippedTiers: [] });
    const [a, b] = [ProjectStore.open(project()), ProjectStore.open(copy)];
    try {
      const [before, after] = [a.listTraces(a.listMedia()[0].id), b.listTraces(b.listMedia()[0].id)];
      expect(after.map((t) => t.annotator)).toEqual(['ann b', 'ann_a']);
      expect(after.map((t) => t.samples)).toEqual(before.map((t) => t.samples));
      expect(after[1].samples.map((s) => s.time)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 5.3, 5.4, 5.5]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('writes a trace over the same ticks only, keeping the rest of the trace, and reads one annotator with --annotator', async () => {
    const target = join(dir, 'traces-target.sentiscope');
    const store = ProjectStore.open(target);
    try {
      const media = await addMediaFile(store, MOSI_CLIP);
      store.replaceTrace({ mediaId: media.id, annotator: 'ann_a', start: 0.8, end: 1.2, samples: take(8, [-2, -2, -2, -2, -2]) });
    } finally {
      store.close();
    }
    const run = await runSentiscope(['import', '--project', target, '--format', 'eaf', eaf(), '--annotator', 'ann_a']);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toMatchObject({ traces: 1, traceSamples: 13, skippedTiers: ['ann b trace'] });
    const again = ProjectStore.open(target);
    try {
      const [trace] = again.listTraces(again.listMedia()[0].id);
      expect(trace.annotator).toBe('ann_a');
      // 0.8 and 0.9 come from the file; 1.0–1.2 were the project's and stay.
      expect(trace.samples.slice(8, 13)).toEqual([
        { time: 0.8, value: -3 },
        { time: 0.9, value: 3 },
        { time: 1, value: -2 },
        { time: 1.1, value: -2 },
        { time: 1.2, value: -2 },
      ]);
      expect(trace.samples).toHaveLength(16);
    } finally {
      again.close();
    }
  });

  it('refuses a trace tier with a value outside -3..+3 or overlapping annotations, naming the tier and time, importing nothing', async () => {
    const file = join(dir, 'bad-trace.eaf');
    writeFileSync(
      file,
      elanFile(
        `    <TIER LINGUISTIC_TYPE_REF="default-lt" TIER_ID="transcript">${annotation('a1', 'ts1', 'ts2', 'hello')}</TIER>
    <TIER LINGUISTIC_TYPE_REF="rating-trace" TIER_ID="jo trace">${annotation('a2', 'ts1', 'ts2', '3.5')}</TIER>
    <TIER LINGUISTIC_TYPE_REF="rating-trace" TIER_ID="mo trace">${annotation('a3', 'ts1', 'ts3', '1')}${annotation('a4', 'ts2', 'ts4', '-1')}</TIER>
    <TIER LINGUISTIC_TYPE_REF="rating-trace" TIER_ID="lu trace">${annotation('a5', 'ts5', 'ts6', '1')}</TIER>`,
        `\n        <TIME_SLOT TIME_SLOT_ID="ts5" TIME_VALUE="4020"/>\n        <TIME_SLOT TIME_SLOT_ID="ts6" TIME_VALUE="4090"/>`,
      ),
    );
    const target = join(dir, 'bad-trace.sentiscope');
    const run = await runSentiscope(['import', '--project', target, '--format', 'eaf', file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file} line 15: tier "jo trace" at 1.000–2.500 s: "3.5" is not a trace value in [-3, 3]`);
    expect(run.stderr).toContain(`line 16: tier "mo trace": annotations overlap: 1.000–4.000 s and 2.500–6.000 s`);
    expect(run.stderr).toContain(`line 17: tier "lu trace" at 4.020–4.090 s: too short to hold a sample of the 10 Hz grid`);
    const store = ProjectStore.open(target);
    try {
      expect(store.listMedia()).toEqual([]);
    } finally {
      store.close();
    }
  });
});
