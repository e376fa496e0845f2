// `sentiscope bench`: throughput of whole-file analysis on a 10-minute video made by
// looping the real MOSI clip (stream copy, no re-encode), analysed without ASR (VAD
// segmentation) in the worker thread the CLI uses. Says wall time per stage, the
// real-time factor, the peak RSS, and the ratio of analysis time to what ffmpeg alone
// needs to decode the same audio (16 kHz mono f32) and sampled frames (5 fps, scaled) on
// stderr; stdout is one JSON object of the same figures (ARCHITECTURE "CLI").

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fitFrameSize, probeMedia, resolveMediaTools } from '../../core/media';
import { listModelPacks } from '../../core/models';
import { DEFAULT_VISUAL_RECIPE } from '../../core/analysis/face/recipe';
import { SentiscopeError } from '../../shared/errors';
import { UsageError, parseCommandArgs, printResult, progressLine, renamedOption, type Command } from '../command';
import { analyzeFiles } from './analyze';

const run = promisify(execFile);
const DEFAULT_CLIP = fileURLToPath(new URL('../../../../shared/data/mosi/media/Oz06ZWiO20M_6.mp4', import.meta.url));
const FIXTURE_PACK = fileURLToPath(new URL('../../../tests/fixtures/packs/tiny-late-fusion', import.meta.url));

async function timed(args: string[]): Promise<number> {
  const began = performance.now();
  await run(resolveMediaTools().ffmpeg.path, ['-hide_banner', '-nostdin', '-v', 'error', ...args], { maxBuffer: 16 * 1024 * 1024 });
  return (performance.now() - began) / 1000;
}

export const benchCommand: Command = {
  name: 'bench',
  usage: 'bench [--media-file FILE] [--minutes N] [--model PACK]',
  summary: 'measure analysis throughput (real-time factor, peak memory, cost against decoding) on a looped clip',
  async run(args) {
    const { values } = parseCommandArgs(args, {
      'media-file': { type: 'string' },
      // The clip was --clip until --media-file meant a file on disk everywhere; kept for one release.
      clip: { type: 'string' },
      minutes: { type: 'string', default: '10' },
      model: { type: 'string' },
    });
    const minutes = Number(values.minutes);
    if (!(minutes > 0)) throw new UsageError(`--minutes must be a positive number (got '${values.minutes}')`);
    const clip = renamedOption('bench', values, 'clip', 'media-file') ?? DEFAULT_CLIP;
    if (!existsSync(clip)) throw new SentiscopeError('file-missing', `${clip} does not exist: give a video with --media-file.`, clip);
    const say = progressLine('bench');

    let model = values.model;
    if (!model && !(await listModelPacks()).some((l) => l.pack)) {
      // Throughput hardly depends on the fusion weights (a few thousand multiply-adds per run).
      model = FIXTURE_PACK;
      say(`no model pack installed: timing with the test pack ${FIXTURE_PACK}`);
    }

    const dir = await mkdtemp(join(tmpdir(), 'sentiscope-bench-'));
    try {
      const seconds = minutes * 60;
      const clipDuration = (await probeMedia(clip)).duration;
      const video = join(dir, 'bench.mp4');
      await timed([
        '-stream_loop',
        String(Math.ceil(seconds / clipDuration)),
        '-i',
        clip,
        '-t',
        String(seconds),
        '-c',
        'copy',
        '-y',
        video,
      ]);
      const probe = await probeMedia(video);
      say(`${video}: ${probe.duration.toFixed(1)} s (${clip} looped)`);

      // What decoding alone costs: the same audio and frames the analysis reads, to null.
      const decodeAudio = await timed(['-i', video, '-map', '0:a:0', '-ac', '1', '-ar', '16000', '-c:a', 'pcm_f32le', '-f', 'null', '-']);
      const size = fitFrameSize(probe.video!.width, probe.video!.height, DEFAULT_VISUAL_RECIPE.maxSize);
      const decodeFrames = await timed([
        '-i',
        video,
        '-map',
        '0:v:0',
        '-an',
        '-vf',
        `fps=${DEFAULT_VISUAL_RECIPE.fps},scale=${size.width}:${size.height}:flags=area,setsar=1`,
        '-pix_fmt',
        'rgb24',
        '-f',
        'null',
        '-',
      ]);
      say(`ffmpeg decode only: audio ${decodeAudio.toFixed(2)} s, frames ${decodeFrames.toFixed(2)} s`);

      const began = performance.now();
      const { jobs, workerMaxRssMb } = await analyzeFiles({
        files: [video],
        projectPath: join(dir, 'bench.sentiscope'),
        segmentation: 'vad',
        model,
        say,
      });
      const wall = (performance.now() - began) / 1000;
      const job = jobs[0];
      if (job.state !== 'done' || !job.summary) {
        throw new SentiscopeError(
          job.error?.code ?? 'internal',
          `bench analysis did not finish: ${job.error?.message ?? job.state}`,
          video,
        );
      }
      const stages = job.summary.seconds;
      // Worker threads share the process: its peak RSS covers the worker (ffmpeg children are separate processes).
      const peakRssMb = Math.max(process.resourceUsage().maxRSS / 1024, workerMaxRssMb);
      const decodeSeconds = decodeAudio + decodeFrames;
      const result = {
        media_seconds: Number(probe.duration.toFixed(2)),
        segments: job.summary.segments,
        wall_seconds: Number(wall.toFixed(2)),
        rtf: Number((probe.duration / wall).toFixed(2)),
        peak_rss_mb: Math.round(peakRssMb),
        decode_seconds: Number(decodeSeconds.toFixed(2)),
        decode_ratio: Number((wall / decodeSeconds).toFixed(2)),
        stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, Number(v.toFixed(2))])),
        provider: job.provider,
        model: job.model,
      };
      for (const [stage, s] of Object.entries(result.stages)) say(`${stage.padEnd(8)} ${s.toFixed(2)} s`);
      say(`wall     ${result.wall_seconds.toFixed(2)} s for ${result.media_seconds} s of media: ${result.rtf}x real time`);
      say(`peak RSS ${result.peak_rss_mb} MB; analysis / decode-only = ${result.decode_ratio}`);
      printResult(result);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
