// Acoustic feature speed: decodes the real MOSI clip once, tiles it to 10 minutes, and
// times extraction single-threaded (decode excluded). Prints seconds of audio per second
// of compute. Run: npx tsx scripts/bench-acoustic.ts [minutes]

import { fileURLToPath } from 'node:url';
import { AcousticExtractor, DEFAULT_ACOUSTIC_RECIPE } from '../src/core/analysis/acoustic/index';
import { decodeAudioToArray } from '../src/core/media/index';

const clip = fileURLToPath(new URL('../../shared/data/mosi/media/Oz06ZWiO20M_6.mp4', import.meta.url));
const minutes = Number(process.argv[2] ?? 10);
const rate = DEFAULT_ACOUSTIC_RECIPE.sampleRate;

const source = await decodeAudioToArray(clip);
const total = Math.round(minutes * 60 * rate);
const audio = new Float32Array(total);
for (let at = 0; at < total; at += source.length) audio.set(source.subarray(0, Math.min(source.length, total - at)), at);

function run(): number {
  const started = process.hrtime.bigint();
  const extractor = new AcousticExtractor();
  // 1 s chunks, as decodeAudio yields them.
  for (let at = 0; at < total; at += rate) extractor.push(audio.subarray(at, Math.min(total, at + rate)));
  const frames = extractor.finish().frames;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(`${frames} frames in ${seconds.toFixed(3)} s`);
  return seconds;
}

run(); // warm-up (JIT)
const best = Math.min(run(), run());
const audioSeconds = total / rate;
console.log(
  `${audioSeconds.toFixed(0)} s of audio: best ${best.toFixed(3)} s -> ${(audioSeconds / best).toFixed(0)}x real time (single thread)`,
);
