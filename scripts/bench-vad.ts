// Silero VAD speed: tiles the real MOSI clip's audio to 10 minutes with ffmpeg
// -stream_loop, then times (a) probabilities only, on samples already decoded, and
// (b) the whole segmentMediaByVad path (ffmpeg decode + VAD + segments) on the file.
// Prints seconds of audio per second of compute. Run: npx tsx scripts/bench-vad.ts [minutes] [threads]

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SileroVadModel, SpeechProbabilityStream, segmentMediaByVad } from '../src/core/analysis/segmentation/index';
import { decodeAudioToArray, resolveMediaTools } from '../src/core/media/index';

const clip = fileURLToPath(new URL('../../shared/data/mosi/media/Oz06ZWiO20M_6.mp4', import.meta.url));
const minutes = Number(process.argv[2] ?? 10);
const threads = Number(process.argv[3] ?? 1);
const rate = 16_000;

const dir = await mkdtemp(join(tmpdir(), 'sentiscope-bench-vad-'));
try {
  const long = join(dir, 'long.wav');
  await promisify(execFile)(resolveMediaTools().ffmpeg.path, [
    '-hide_banner',
    '-nostdin',
    '-v',
    'error',
    '-y',
    '-stream_loop',
    '-1',
    '-i',
    clip,
    '-t',
    String(minutes * 60),
    '-vn',
    '-ac',
    '1',
    '-ar',
    String(rate),
    long,
  ]);
  const audio = await decodeAudioToArray(long);
  const audioSeconds = audio.length / rate;
  const model = await SileroVadModel.load({ intraOpNumThreads: threads });

  const probabilitiesOnly = async () => {
    const started = process.hrtime.bigint();
    const stream = new SpeechProbabilityStream(model);
    for (let at = 0; at < audio.length; at += rate) await stream.push(audio.subarray(at, at + rate));
    const { probabilities } = await stream.finish();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`${probabilities.length} windows in ${seconds.toFixed(3)} s`);
    return seconds;
  };
  await probabilitiesOnly(); // warm-up
  const best = Math.min(await probabilitiesOnly(), await probabilitiesOnly());
  console.log(
    `VAD only: ${audioSeconds.toFixed(0)} s of audio in ${best.toFixed(3)} s -> ${(audioSeconds / best).toFixed(0)}x real time (intraOpNumThreads ${threads})`,
  );

  const started = process.hrtime.bigint();
  const result = await segmentMediaByVad(long, { intraOpNumThreads: threads });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(
    `decode + VAD + segments: ${result.segments.length} segments in ${seconds.toFixed(3)} s -> ${(audioSeconds / seconds).toFixed(0)}x real time`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
