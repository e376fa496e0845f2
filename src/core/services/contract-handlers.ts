// The contract implemented once over the core services; every shell serves these
// handlers ([Note: one contract, three shells] in src/shared/contract.ts).

import { join } from 'node:path';
import type { AppInfo, ContractHandlers } from '../../shared/contract';
import { SentiscopeError } from '../../shared/errors';
import { getWaveformPeaks, resolveMediaTools } from '../media';
import { addMediaFile } from '../store';
import { ProjectSession } from './project-session';
import { exportFromProject } from './project-export';
import { projectAgreement } from './agreement';
import { adjudicate, clearAdjudication, reviewQueue } from './adjudication';
import { noFileDialog } from './file-dialogs';
import { packWaveformPeaks } from './packed-floats';
import { spectrogramWindow } from './spectrogram-window';
import { importIntoProject } from './project-import';
import { mergeSegments, restoreSegment, splitSegment } from './segment-edits';
import { AnalysisJobs } from './analysis-jobs';
import { RefitJobs } from './refit-jobs';
import { labelQueue } from './label-queue';
import type { RefitWorkerSpawner } from '../jobs/refit-worker-host';
import { catalogListing, modelsOverview } from './model-catalog';
import { ModelDownloads } from './model-downloads';
import { speechRecognizerSpec } from './speech-recognizer-choice';
import { addModelFolder, listInstalledModels, modelRoots, packFolderFor, removeModel, type ModelRoots } from '../models';
import type { JobHostFactory } from '../jobs';
import { loggingFailures, openRunLog } from './run-log';

export interface ContractHandlerOptions {
  shell: AppInfo['shell'];
  /** The app's version, as the shell knows it (Electron's app.getVersion(), the CLI's package.json). */
  version: string;
  /** Per-user folder for caches (waveform peaks) and added models (<dataDir>/models). */
  dataDir: string;
  /** The shipped and per-user models folders (default: resources/models and <dataDir>/models). */
  modelRoots?: ModelRoots;
  /** The Hub catalog models are got from (default: HF_ENDPOINT, else https://huggingface.co). */
  hubEndpoint?: string;
  /** A project file to open at start, if any. */
  projectPath?: string;
  /** How analysis jobs are run off the serving thread (default a worker thread; Electron: a utilityProcess). */
  startAnalysisHost?: JobHostFactory;
  /** How a refit's worker thread is started (default from source through tsx; Electron: the built entry). */
  startRefitWorker?: RefitWorkerSpawner;
  /** Which process serves (the run log's name): 'main' on desktop, 'server' for `sentiscope serve`. */
  processName?: string;
}

export interface ServedContract extends ContractHandlers {
  /** This run's log file (failed calls with their stacks), or null when it could not be written. */
  logPath: string | null;
  /** File path of a media item, for the media:// protocol and the /media/ route. */
  resolveMediaPath(mediaId: number): string;
  close(): void;
}

export function createContractHandlers(options: ContractHandlerOptions): ServedContract {
  const log = openRunLog(options.dataDir, options.processName ?? options.shell);
  const session = new ProjectSession();
  if (options.projectPath) session.open(options.projectPath);
  const peaksCacheDir = join(options.dataDir, 'cache', 'peaks');
  const analysis = new AnalysisJobs(session, options.startAnalysisHost);
  // Read per call: SENTISCOPE_MODELS may be set after the handlers are made (tests).
  const roots = (): ModelRoots => options.modelRoots ?? modelRoots(options.dataDir);
  const downloads = new ModelDownloads(roots, () => options.hubEndpoint);
  const refits = new RefitJobs(session, roots, join(options.dataDir, 'cache', 'refit-features'), options.startRefitWorker);

  const mediaFile = (mediaId: number): string => {
    const media = session.require().getMedia(mediaId);
    if (!media.path) {
      throw new SentiscopeError(
        'not-found',
        `Media '${media.name}' has labels but no file yet: add its video or audio file to the project.`,
      );
    }
    return media.path;
  };

  return loggingFailures<ServedContract>(
    {
      logPath: log.path,
      'app:info': () => {
        const tools = resolveMediaTools();
        return {
          version: options.version,
          shell: options.shell,
          ffmpeg: tools.ffmpeg,
          ffprobe: tools.ffprobe,
          projectPath: session.current()?.path ?? null,
        };
      },

      'project:open': ({ path }) => session.open(path),
      'project:current': () => session.current(),
      'project:combine': ({ sources }) => {
        // An analysis writes the project from its own process: the file cannot be replaced under it.
        if (analysis.status().some((job) => job.state === 'queued' || job.state === 'running')) {
          const path = session.require().path;
          throw new SentiscopeError('bad-request', `An analysis is running on ${path}: let it finish (or cancel it), then combine.`, path);
        }
        return session.combineInto(sources);
      },

      'media:add': ({ path }) => addMediaFile(session.require(), path),
      'media:list': () => session.require().listMedia(),
      'media:peaksPacked': async ({ mediaId, peaksPerSecond }) =>
        packWaveformPeaks(await getWaveformPeaks(mediaFile(mediaId), { cacheDir: peaksCacheDir, peaksPerSecond })),
      'media:spectrogram': ({ mediaId, start, end }) => spectrogramWindow(mediaFile(mediaId), start, end),

      'dialog:openFile': noFileDialog,
      'dialog:saveFile': noFileDialog,

      'segments:list': ({ mediaId }) => session.require().listSegments(mediaId),
      'segments:create': ({ mediaId, start, end, text }) =>
        session.require().createSegment({ mediaId, start, end, text: text ?? '', source: 'manual' }),
      'segments:update': ({ segmentId, ...patch }) => session.require().updateSegment(segmentId, patch),
      'segments:delete': ({ segmentId }) => session.require().deleteSegment(segmentId),
      'segments:split': (request) => splitSegment(session.require(), request),
      'segments:merge': ({ segmentId, nextId }) => mergeSegments(session.require(), segmentId, nextId),
      'segments:restore': ({ segment, labels }) => restoreSegment(session.require(), segment, labels),

      'labels:list': ({ mediaId }) => session.require().listLabels(mediaId),
      'labels:setMosi': (request) => session.require().setMosiLabel(request),
      'labels:setMvsa': (request) => session.require().setMvsaLabel(request),
      'labels:delete': ({ labelId }) => session.require().deleteLabel(labelId),

      'agreement:report': ({ scheme }) => projectAgreement(session.require(), { scheme }),
      'adjudication:queue': ({ scheme }) => reviewQueue(session.require(), { scheme }),
      'adjudication:setMosi': (request) => adjudicate(session.require(), { ...request, scheme: 'mosi' }),
      'adjudication:setMvsa': (request) => adjudicate(session.require(), { ...request, scheme: 'mvsa' }),
      'adjudication:clear': (request) => clearAdjudication(session.require(), request),

      'predictions:list': ({ mediaId }) => session.require().listPredictions(mediaId),
      'queue:list': ({ n, model }) => labelQueue(session.require(), { n: n ?? 50, model }),

      'traces:list': ({ mediaId }) => session.require().listTraces(mediaId),
      'traces:replace': (request) => {
        const store = session.require();
        const previous = store.replaceTrace(request);
        return { previous, trace: store.getTrace(request.mediaId, request.annotator.trim()) };
      },

      // An added pack and an added speech recognizer are named by id on the page; the job is given their folders.
      'analysis:start': async ({ asr, ...request }) =>
        analysis.start({
          ...request,
          ...(request.model ? { model: await packFolderFor(request.model, roots()) } : {}),
          ...(asr ? { asr: await speechRecognizerSpec(asr, roots()) } : {}),
        }),
      'analysis:status': ({ jobId }) => analysis.status(jobId),
      'analysis:cancel': ({ jobId }) => analysis.cancel(jobId),

      'refit:start': (request) => refits.start(request),
      'refit:status': ({ jobId }) => refits.status(jobId),
      'refit:cancel': ({ jobId }) => refits.cancel(jobId),
      'refit:curve': ({ id }) => refits.curve(id),

      'models:list': () => modelsOverview(roots(), analysis.status()),
      // A pack folder or a pretrained (Whisper, encoder) folder, told apart by its files.
      'models:add': async ({ path }) => {
        const added = await addModelFolder(path, roots());
        const listed = (await listInstalledModels(roots())).find((m) => m.location === added.dir);
        if (!listed) throw new SentiscopeError('internal', `The model added at ${added.dir} is not listed.`, added.dir);
        return listed;
      },
      'models:remove': async ({ id }) => {
        await removeModel(id, roots());
      },
      'models:download': (request) => downloads.start(request),
      'models:downloadStatus': ({ jobId }) => downloads.status(jobId),
      'models:downloadCancel': ({ jobId }) => downloads.cancel(jobId),
      'models:catalog': () => catalogListing(roots()),
      'models:get': ({ id }) => downloads.get({ id }),

      'io:import': (request) => importIntoProject(session.require(), request),
      'io:export': (request) => exportFromProject(session.require(), request),

      resolveMediaPath: mediaFile,
      close: () => {
        void analysis.close();
        downloads.close();
        refits.close();
        session.close();
      },
    },
    log,
  );
}
