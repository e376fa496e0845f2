// "Combine projects…": annotators' project files brought into the open (team) project
// through 'project:combine', the same service as `sentiscope project combine`, and the
// report shown as it came back (media matched and added, labels added, every conflict).

import { ref, shallowRef } from 'vue';
import type { CombineReport, ContractClient } from '../../../../shared/contract';
import { t } from '../../i18n';
import type { Status } from './status';

/** The paths typed or chosen, one a line; blank lines and repeats dropped. */
export function sourcePaths(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()))].filter((line) => line !== '');
}

export function createCombine(api: ContractClient, status: Status, reloadProject: () => Promise<void>) {
  /** The sources, one path a line (typed, or added by the desktop's file dialog). */
  const sourcesText = ref('');
  const report = shallowRef<CombineReport | null>(null);

  function addSource(path: string): void {
    sourcesText.value = sourcePaths(`${sourcesText.value}\n${path}`).join('\n');
  }

  async function combine(): Promise<void> {
    const sources = sourcePaths(sourcesText.value);
    if (!sources.length) {
      status.error.value = t('combineNoSources');
      return;
    }
    report.value = null;
    const done = await status.guard(async () => api.invoke('project:combine', { sources }));
    if (!done) return;
    report.value = done;
    // The team file was replaced only when something was new.
    if (done.changed) await reloadProject();
  }

  function reset(): void {
    sourcesText.value = '';
    report.value = null;
  }

  return { sourcesText, report, addSource, combine, reset };
}

export type Combine = ReturnType<typeof createCombine>;
