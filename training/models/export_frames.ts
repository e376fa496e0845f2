// Frame sequences for the seed architectures' fixture, computed by Sentiscope's own
// extractors (the ones `sentiscope features` summarises into utterance statistics):
// per 10 ms acoustic frame the recipe's frame features, per sampled video frame
// [face 0/1, 7 expression probabilities, detector score] (the visual statistics' columns,
// one frame at a time). The runtime does not feed these to packs yet (audio.frames /
// visual.frames); this script only serves training/models/build_fixture.py.
//
//   npx tsx training/models/export_frames.ts OUT.json audio:ID=PATH ... visual:ID=PATH ...

import { writeFileSync } from 'node:fs';
import { extractAcousticFeaturesFromMedia } from '../../src/core/analysis/acoustic';
import { VisualAnalyzer } from '../../src/core/analysis/face';

interface Sequence {
  id: string;
  kind: 'audio' | 'visual';
  frames: number;
  dims: number;
  names: string[];
  data: number[];
}

async function main(): Promise<void> {
  const [out, ...specs] = process.argv.slice(2);
  if (!out || specs.length === 0) throw new Error('usage: export_frames.ts OUT.json audio:ID=PATH visual:ID=PATH ...');
  const sequences: Sequence[] = [];
  let analyzer: VisualAnalyzer | null = null;
  for (const spec of specs) {
    const match = /^(audio|visual):([^=]+)=(.+)$/.exec(spec);
    if (!match) throw new Error(`${spec}: expected audio:ID=PATH or visual:ID=PATH`);
    const [, kind, id, path] = match;
    if (kind === 'audio') {
      const f = await extractAcousticFeaturesFromMedia(path);
      sequences.push({ id, kind, frames: f.frames, dims: f.dims, names: f.names, data: Array.from(f.data) });
    } else {
      analyzer ??= await VisualAnalyzer.create();
      const v = await analyzer.analyzeMedia(path);
      const labels = v.labels.map((l) => `emotion_${l}`);
      const data: number[] = [];
      for (const frame of v.frames) {
        data.push(frame.present ? 1 : 0, ...(frame.emotions ? Array.from(frame.emotions) : labels.map(() => 0)), frame.score);
      }
      sequences.push({ id, kind, frames: v.frames.length, dims: labels.length + 2, names: ['face', ...labels, 'face_score'], data });
    }
  }
  writeFileSync(out, JSON.stringify(sequences));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
