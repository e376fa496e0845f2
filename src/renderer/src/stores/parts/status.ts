// What the workspace tells the user and who is working: the error and notice banners, the
// busy count, the annotator's name (kept in localStorage), the help, Models and Agreement overlays, the segment
// whose text is being edited, and the shell the page runs in (from app:info).

import { ref } from 'vue';
import type { AppInfo } from '../../../../shared/contract';
import { SentiscopeError } from '../../../../shared/errors';
import { t } from '../../i18n';

const ANNOTATOR_KEY = 'sentiscope.annotator';

export function messageOf(err: unknown): string {
  if (err instanceof SentiscopeError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

export function createStatus() {
  const annotator = ref(globalThis.localStorage?.getItem(ANNOTATOR_KEY) ?? '');
  const error = ref<string | null>(null);
  const notice = ref<string | null>(null);
  const busy = ref(0);
  const helpOpen = ref(false);
  const modelsOpen = ref(false);
  const agreementOpen = ref(false);
  /** Set by the transcript panel: which segment's text is being edited. */
  const editingId = ref<number | null>(null);
  /** 'electron' shows the native file dialogs; browser mode types paths. */
  const shell = ref<AppInfo['shell'] | null>(null);

  /** Runs an action; a failure becomes the error banner instead of a rejection. */
  async function guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    busy.value++;
    try {
      return await work();
    } catch (err) {
      error.value = messageOf(err);
      return undefined;
    } finally {
      busy.value--;
    }
  }

  function requireAnnotator(): string | null {
    const name = annotator.value.trim();
    if (name === '') {
      error.value = t('annotatorMissing');
      return null;
    }
    return name;
  }

  function setAnnotator(name: string): void {
    annotator.value = name;
    globalThis.localStorage?.setItem(ANNOTATOR_KEY, name.trim());
  }

  return { annotator, error, notice, busy, helpOpen, modelsOpen, agreementOpen, editingId, shell, guard, requireAnnotator, setAnnotator };
}

export type Status = ReturnType<typeof createStatus>;
