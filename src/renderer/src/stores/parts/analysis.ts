// Analysis of the selected media item from the workspace: start a job, poll its status
// every 300 ms while it runs (the job runs in the core, off the page), reload the
// segments and predictions as more segments are done, so results appear as they come.

import { computed, ref, shallowRef } from 'vue';
import type { AnalysisJobStatus } from '../../../../shared/analysis-job';
import type { ContractClient } from '../../../../shared/contract';
import { t } from '../../i18n';
import type { Annotations } from './annotations';
import type { Library } from './library';
import type { Status } from './status';

const POLL_MS = 300;

/** What the Models page chose: a speech recognizer id and its language, or undefined for no transcription. */
export type TranscriptionChoice = { model: string; language?: string } | undefined;

/**
 * `model`: the pack id chosen on the Models page, or null for the default pack;
 * `transcription`: the speech recognizer chosen there, if any.
 */
export function createAnalysis(
  api: ContractClient,
  status: Status,
  library: Library,
  annotations: Annotations,
  model: () => string | null = () => null,
  transcription: () => TranscriptionChoice = () => undefined,
) {
  /** The latest status of each media item's most recent job. */
  const jobs = shallowRef<Map<number, AnalysisJobStatus>>(new Map());
  const polling = ref(false);
  const current = computed(() => (library.mediaId.value === null ? null : (jobs.value.get(library.mediaId.value) ?? null)));
  const running = computed(() => current.value !== null && (current.value.state === 'queued' || current.value.state === 'running'));

  function put(job: AnalysisJobStatus): void {
    const mediaId = job.spec.mediaId ?? job.progress.mediaId;
    if (mediaId == null) return;
    const next = new Map(jobs.value);
    next.set(mediaId, job);
    jobs.value = next;
  }

  async function reloadIfShown(mediaId: number): Promise<void> {
    if (library.mediaId.value !== mediaId) return;
    await annotations.load(mediaId, () => library.mediaId.value === mediaId);
  }

  async function poll(): Promise<void> {
    if (polling.value) return;
    polling.value = true;
    try {
      for (;;) {
        const active = [...jobs.value.values()].filter((j) => j.state === 'queued' || j.state === 'running');
        if (!active.length) return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        for (const before of active) {
          const [after] = await api.invoke('analysis:status', { jobId: before.jobId });
          put(after);
          const mediaId = after.spec.mediaId!;
          const finished = after.state !== 'running' && after.state !== 'queued';
          if (after.progress.stage !== before.progress.stage || after.progress.done !== before.progress.done || finished)
            await reloadIfShown(mediaId);
          if (after.state === 'done')
            status.notice.value = t('analysisDone', { media: after.progress.media, n: after.summary?.predicted ?? 0 });
          if (after.state === 'failed') status.error.value = after.error?.message ?? t('analysisFailed');
        }
      }
    } finally {
      polling.value = false;
    }
  }

  async function startAnalysis(): Promise<void> {
    const mediaId = library.mediaId.value;
    if (mediaId === null || running.value) return;
    await status.guard(async () => {
      put(await api.invoke('analysis:start', { mediaId, model: model() ?? undefined, asr: transcription() }));
      void poll().catch((err: unknown) => (status.error.value = err instanceof Error ? err.message : String(err)));
    });
  }

  async function cancelAnalysis(): Promise<void> {
    const job = current.value;
    if (!job) return;
    await status.guard(async () => put(await api.invoke('analysis:cancel', { jobId: job.jobId })));
  }

  return { analysisJob: current, analysisRunning: running, startAnalysis, cancelAnalysis };
}
