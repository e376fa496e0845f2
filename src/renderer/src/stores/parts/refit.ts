// "Refit on my labels" on the Models page: starts a refit of the open project's consensus
// labels ('refit:start'), polls it while it runs (stage, row k of n, fold k of n), cancels
// it, and keeps the learning curves of the installed refit packs ('refit:curve'). When a
// refit installs, the models are listed again so the new pack can be picked for Analyze.

import { ref, shallowRef } from 'vue';
import type { ContractClient } from '../../../../shared/contract';
import type { LearningCurve, RefitJobStatus } from '../../../../shared/refit-job';
import { t } from '../../i18n';
import type { Models } from './models';
import type { Status } from './status';

const POLL_MS = 250;

export function createRefit(api: ContractClient, status: Status, models: Pick<Models, 'loadModels' | 'overview'>) {
  const job = shallowRef<RefitJobStatus | null>(null);
  /** Learning curve per added pack id; packs that are not refits are left out. */
  const curves = shallowRef<Record<string, LearningCurve>>({});
  const cancelling = ref(false);

  async function loadCurves(): Promise<void> {
    const added = (models.overview.value?.models ?? []).filter((m) => m.kind === 'fusion-pack' && m.root === 'added' && !m.problem);
    const next: Record<string, LearningCurve> = {};
    await status.guard(async () => {
      for (const m of added) {
        const curve = await api.invoke('refit:curve', { id: m.id });
        if (curve) next[m.id] = curve;
      }
    });
    curves.value = next;
  }

  /** Refits into pack `id`; `force` installs it even when it is not better than its source. */
  async function start(id: string, force = false): Promise<void> {
    if (!id.trim() || job.value?.state === 'running') return;
    const started = await status.guard(() => api.invoke('refit:start', { id: id.trim(), force }));
    if (!started) return;
    job.value = started;
    cancelling.value = false;
    await status.guard(async () => {
      while (job.value?.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        [job.value] = await api.invoke('refit:status', { jobId: started.jobId });
      }
    });
    const done = job.value;
    if (done?.state === 'done') status.notice.value = t('refitInstalled', { id: done.result!.id });
    else if (done?.state === 'refused') status.error.value = done.result!.refused;
    else if (done?.state === 'failed') status.error.value = done.error?.message ?? t('refitFailed');
    else if (done?.state === 'cancelled') status.notice.value = t('refitCancelled');
    await models.loadModels();
    await loadCurves();
  }

  async function cancel(): Promise<void> {
    const running = job.value;
    if (running?.state !== 'running') return;
    cancelling.value = true;
    await status.guard(() => api.invoke('refit:cancel', { jobId: running.jobId }));
  }

  return { job, curves, cancelling, start, cancel, loadCurves };
}

export type Refit = ReturnType<typeof createRefit>;
