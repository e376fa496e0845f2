// `sentiscope analyze VIDEO...`: segment (transcript cues or VAD), predict and store each
// file in a project, in a worker thread (the same queue and job the app uses), with
// progress on stderr. Without --project the project is a temporary file, removed after.
// stdout: the prediction rows as JSON, or with --out (rows written there) a JSON summary.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { SEGMENTATION_MODES, type AnalysisDevice, type AnalysisJobStatus, type SegmentationMode } from '../../shared/analysis-job';
import { DEVICES } from '../../shared/devices';
import { SentiscopeError } from '../../shared/errors';
import { type AnalysisRow, analysisRows, formatAnalysisCsv } from '../../core/analysis/pipeline';
import { writeTextFileAtomic } from '../../core/io/text-file';
import { AnalysisQueue } from '../../core/jobs';
import { ProjectStore } from '../../core/store';
import { UsageError, oneOfOption, parseCommandArgs, printResult, progressLine, threadsOption, type Command } from '../command';
import { resolveAsrOption } from '../asr-option';
import { resolveModelOption } from '../model-option';
import { SHARD_OPTIONS, SHARD_USAGE, shardOption } from '../shard-option';
import {
  type ShardManifest,
  mediaListDigest,
  newManifest,
  readManifest,
  sameShardRun,
  writeManifest,
} from '../../core/shards/shard-manifest';
import { formatShard, shardItems } from '../../core/shards/shard-spec';

export interface AnalyzeFilesOptions {
  files: string[];
  transcripts?: string[];
  projectPath: string;
  /** --model: a pack folder, or the id of a shipped or added pack. */
  model?: string;
  device?: AnalysisDevice;
  threads?: number;
  segmentation?: SegmentationMode;
  /** --asr: transcribe segments without text with this Whisper folder (or added id) first. */
  asr?: { model: string; language?: string };
  say: (line: string) => void;
}

export interface AnalyzeFilesResult {
  jobs: AnalysisJobStatus[];
  /** Peak resident set of the worker thread's process, as it reported it (MB). */
  workerMaxRssMb: number;
}

const formatEta = (s: number | null) => (s === null ? '' : s >= 90 ? `, ETA ${Math.round(s / 60)} min` : `, ETA ${Math.ceil(s)} s`);

/** Runs one job per file through the analysis queue (a worker thread), reporting on `say`. */
export async function analyzeFiles(options: AnalyzeFilesOptions): Promise<AnalyzeFilesResult> {
  const { say } = options;
  // An added pack's id becomes its folder, since the job looks ids up among the shipped packs only.
  const model = await resolveModelOption(options.model);
  const asr = options.asr && { ...options.asr, model: resolve(await resolveAsrOption(options.asr.model)) };
  const queue = new AnalysisQueue({ idleMs: 0 });
  const lastPrinted = new Map<string, { stage: string; percent: number; at: number }>();
  let providerSaid = '';
  queue.onChange((status) => {
    const p = status.progress;
    if (status.provider && status.provider !== providerSaid && status.model) {
      providerSaid = status.provider;
      say(`model ${status.model.id}@${status.model.version} on ${status.provider}`);
    }
    if (status.state !== 'running') return;
    const last = lastPrinted.get(status.jobId);
    const now = performance.now();
    // One line per stage change, then at most one a second.
    if (last && last.stage === p.stage && (now - last.at < 1000 || p.percent === last.percent)) return;
    lastPrinted.set(status.jobId, { stage: p.stage, percent: p.percent, at: now });
    say(`${p.media}: ${p.stage} ${p.percent.toFixed(0)}%${formatEta(p.etaSeconds)}`);
  });
  const interrupt = () => {
    say('interrupted: cancelling (predictions made so far are kept)');
    for (const s of queue.status()) queue.cancel(s.jobId);
  };
  process.once('SIGINT', interrupt);
  try {
    const started = options.files.map((file, i) =>
      queue.enqueue({
        projectPath: options.projectPath,
        file: resolve(file),
        transcript: options.transcripts?.[i] ? resolve(options.transcripts[i]) : undefined,
        segmentation: options.segmentation,
        asr: asr && { ...asr, device: options.device, threads: options.threads },
        model,
        device: options.device,
        threads: options.threads,
      }),
    );
    const jobs: AnalysisJobStatus[] = [];
    for (const job of started) {
      const end = await queue.wait(job.jobId);
      for (const line of end.notes) say(line);
      if (end.state === 'failed') say(`${end.spec.file}: failed: ${end.error?.message ?? 'unknown error'}`);
      if (end.state === 'cancelled') say(`${end.spec.file}: cancelled`);
      if (end.summary) {
        const s = end.summary;
        say(
          `${s.media}: ${s.predicted} segments predicted${s.skipped ? `, ${s.skipped} already were` : ''} (${s.segmentation} segmentation, ${s.seconds.total.toFixed(1)} s in ${s.threadId ? `worker thread ${s.threadId}` : 'the main thread'})`,
        );
      }
      jobs.push(end);
    }
    return { jobs, workerMaxRssMb: queue.hostMaxRssMb };
  } finally {
    process.removeListener('SIGINT', interrupt);
    await queue.close();
  }
}

export const analyzeCommand: Command = {
  name: 'analyze',
  usage:
    `analyze VIDEO... [--transcript FILE]... [--project DB] [--out FILE.csv|FILE.json] [--model PACK] [--device ${DEVICES.join('|')}] ` +
    `[--threads N] [--segmentation ${SEGMENTATION_MODES.join('|')}] [--asr RECOGNIZER [--language en|zh|...]] ${SHARD_USAGE}`,
  summary: 'segment, predict and store sentiment with per-modality contributions for whole media files',
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        transcript: { type: 'string', multiple: true },
        project: { type: 'string' },
        out: { type: 'string' },
        model: { type: 'string' },
        device: { type: 'string', default: 'auto' },
        threads: { type: 'string' },
        segmentation: { type: 'string', default: 'auto' },
        asr: { type: 'string' },
        language: { type: 'string' },
        ...SHARD_OPTIONS,
      },
      { name: 'VIDEO', min: 1, max: Infinity, missing: 'give at least one VIDEO (or audio) file' },
    );
    if (values.language !== undefined && values.asr === undefined)
      throw new UsageError('--language goes with --asr (the language Whisper transcribes)');
    const transcripts = values.transcript ?? [];
    if (transcripts.length && transcripts.length !== positionals.length) {
      throw new UsageError(
        `give one --transcript per file, in the same order (${positionals.length} files, ${transcripts.length} transcripts)`,
      );
    }
    const device = oneOfOption(values.device, '--device', DEVICES);
    const segmentation = oneOfOption(values.segmentation, '--segmentation', SEGMENTATION_MODES);
    const threads = threadsOption(values.threads);
    const out = values.out ? resolve(values.out) : null;
    if (out && !['.csv', '.json'].includes(extname(out).toLowerCase()))
      throw new UsageError(`--out must end in .csv or .json (got '${values.out}')`);

    const say = progressLine('analyze');
    // A shard analyses files i with i mod N = K (their place in the given list) into its own project.
    const shard = shardOption(values);
    let sidecar: ShardManifest | null = null;
    let files = positionals;
    let shardTranscripts = transcripts;
    if (shard) {
      if (!values.project) throw new UsageError('--shard goes with --project (each shard writes its own project file to merge)');
      files = shardItems(positionals, shard);
      shardTranscripts = transcripts.length ? shardItems(transcripts, shard) : [];
      sidecar = newManifest({
        command: 'analyze',
        output: 'project',
        input: `${positionals.length} media files`,
        input_digest: await mediaListDigest(positionals),
        input_items: positionals.length,
        k: shard.index,
        n: shard.count,
        pack_id: values.model ?? 'default',
        pack_version: values.segmentation,
        items: files.length,
        item_names: files.map((f) => resolve(f)),
      });
      const project = resolve(values.project);
      const earlier = await readManifest(project);
      if (earlier && !sameShardRun(earlier, sidecar))
        throw new UsageError(`${project} is shard ${earlier.k}/${earlier.n} of another run: give a new --project for this shard`);
      // A re-run resumes: the analysis skips segments the project already has predictions for.
      await writeManifest(project, sidecar);
      say(`shard ${formatShard(shard)}: ${files.length} of ${positionals.length} files`);
    }
    const temporary = values.project ? null : await mkdtemp(join(tmpdir(), 'sentiscope-analyze-'));
    const projectPath = values.project ? resolve(values.project) : join(temporary!, 'analysis.sentiscope');
    try {
      const { jobs } = await analyzeFiles({
        files,
        transcripts: shardTranscripts,
        projectPath,
        model: values.model,
        device,
        threads,
        segmentation,
        asr: values.asr === undefined ? undefined : { model: values.asr, language: values.language },
        say,
      });
      const store = ProjectStore.open(projectPath);
      let rows: AnalysisRow[];
      try {
        rows = jobs.flatMap((j) => (j.summary ? analysisRows(store, j.summary.mediaId, j.summary.model) : []));
      } finally {
        store.close();
      }
      if (out) {
        await writeTextFileAtomic(
          out,
          extname(out).toLowerCase() === '.json' ? JSON.stringify(rows, null, 2) + '\n' : formatAnalysisCsv(rows),
        );
        say(`${rows.length} rows -> ${out}`);
        printResult({
          out,
          rows: rows.length,
          project: values.project ? projectPath : null,
          files: jobs.map((j) => ({ file: j.spec.file ?? null, state: j.state, predicted: j.summary?.predicted ?? 0 })),
        });
      } else {
        printResult(rows);
      }
      if (values.project) say(`stored in ${projectPath}`);
      const failed = jobs.filter((j) => j.state !== 'done');
      if (sidecar && !failed.length) {
        await writeManifest(projectPath, { ...sidecar, complete: true });
      }
      if (failed.length) {
        const first = failed[0];
        throw new SentiscopeError(
          first.error?.code ?? 'internal',
          `${failed.length} of ${jobs.length} files not analysed (${first.spec.file}: ${first.error?.message ?? first.state})`,
          first.spec.file ?? null,
        );
      }
    } finally {
      if (temporary) await rm(temporary, { recursive: true, force: true });
    }
  },
};
