// What the workspace tells the user and who is working: the error and notice banners, the
// busy count, the annotator's name (kept in localStorage), the help, Models, Agreement and Combine overlays, the segment
// whose text is being edited, and the shell the page runs in (from app:info).

import { ref } from 'vue';
import type { AppInfo } from '../../../../shared/contract';
import { SentiscopeError } from '../../../../shared/errors';
import { t } from '../../i18n';

const ANNOTATOR_KEY = 'sentiscope.annotator';
/** The name last used in one project (one person may label as "ana" here and adjudicate as "lead" there). */
const projectAnnotatorKey = (path: string) => `${ANNOTATOR_KEY}:${path}`;

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
  const combineOpen = ref(false);
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

  /** The project whose annotator name setAnnotator remembers too; null before one is open. */
  let annotatorProject: string | null = null;

  function setAnnotator(name: string): void {
    annotator.value = name;
    globalThis.localStorage?.setItem(ANNOTATOR_KEY, name.trim());
    if (annotatorProject) globalThis.localStorage?.setItem(projectAnnotatorKey(annotatorProject), name.trim());
  }

  /** A project was opened: label as the name last used in it, else keep the app's last name. */
  function annotatorFor(path: string): void {
    annotatorProject = path;
    const remembered = globalThis.localStorage?.getItem(projectAnnotatorKey(path));
    if (remembered) annotator.value = remembered;
    // A first visit keeps the name in use, and remembers it for this project from now on.
    else if (annotator.value.trim()) globalThis.localStorage?.setItem(projectAnnotatorKey(path), annotator.value.trim());
  }

  return {
    annotator,
    error,
    notice,
    busy,
    helpOpen,
    modelsOpen,
    agreementOpen,
    combineOpen,
    editingId,
    shell,
    guard,
    requireAnnotator,
    setAnnotator,
    annotatorFor,
  };
}

export type Status = ReturnType<typeof createStatus>;
