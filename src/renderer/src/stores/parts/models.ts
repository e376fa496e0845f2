// The Models page's state: what is installed (models:list), adding a pack from a folder,
// removing an added one, a download the user started (polled like analysis jobs), and
// the pack Analyze uses (kept in localStorage; none = the installation's default pack) and
// the speech recognizer that transcribes segments without text first, with its language
// (kept in localStorage too; none = no transcription).
// The catalog of recommended models ('models:catalog') and getting one from the Hub
// ('models:get'), polled like a download; a speech recognizer got that way is chosen to
// transcribe when analyzing (in English where it knows it), since that is why it was got.
// Nothing is downloaded unless the user presses Get, or gives an index URL and presses Download.

import { computed, ref, shallowRef } from 'vue';
import type { ContractClient } from '../../../../shared/contract';
import type { CatalogListing, ModelDownloadStatus, ModelsOverview } from '../../../../shared/model-catalog';
import { t } from '../../i18n';
import type { Status } from './status';

const ANALYSIS_MODEL_KEY = 'sentiscope.analysisModel';
const INDEX_URL_KEY = 'sentiscope.modelIndexUrl';
const ASR_MODEL_KEY = 'sentiscope.asrModel';
const ASR_LANGUAGE_KEY = 'sentiscope.asrLanguage';
const POLL_MS = 250;

export function createModels(api: ContractClient, status: Status) {
  const overview = shallowRef<ModelsOverview | null>(null);
  const download = shallowRef<ModelDownloadStatus | null>(null);
  const catalog = shallowRef<CatalogListing[] | null>(null);
  /** Whether a speech recognizer that loads is installed; null until the models are listed. */
  const hasRecognizer = computed(() =>
    overview.value === null ? null : overview.value.models.some((m) => m.kind === 'speech-recognizer' && !m.problem),
  );
  /** The pack id Analyze passes; null = the default pack. */
  const analysisModel = ref<string | null>(globalThis.localStorage?.getItem(ANALYSIS_MODEL_KEY) || null);
  /** The speech recognizer id Analyze passes; null = no transcription. */
  const asrModel = ref<string | null>(globalThis.localStorage?.getItem(ASR_MODEL_KEY) || null);
  /** The language it transcribes; null = the model's default (English). */
  const asrLanguage = ref<string | null>(globalThis.localStorage?.getItem(ASR_LANGUAGE_KEY) || null);
  /** The last model index URL the user typed; there is no default one. */
  const indexUrl = ref(globalThis.localStorage?.getItem(INDEX_URL_KEY) ?? '');

  function useForAnalysis(id: string | null): void {
    analysisModel.value = id;
    if (id === null) globalThis.localStorage?.removeItem(ANALYSIS_MODEL_KEY);
    else globalThis.localStorage?.setItem(ANALYSIS_MODEL_KEY, id);
  }

  function keep(key: string, value: string | null): void {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  }

  /** `language`: one the model knows; null = the model's default. */
  function useForTranscription(id: string | null, language: string | null = null): void {
    asrModel.value = id;
    asrLanguage.value = id === null ? null : language;
    keep(ASR_MODEL_KEY, asrModel.value);
    keep(ASR_LANGUAGE_KEY, asrLanguage.value);
  }

  function setTranscriptionLanguage(language: string | null): void {
    if (asrModel.value === null) return;
    asrLanguage.value = language;
    keep(ASR_LANGUAGE_KEY, language);
  }

  /** What 'analysis:start' is given for transcription, or undefined for none. */
  function transcription(): { model: string; language?: string } | undefined {
    if (asrModel.value === null) return undefined;
    return asrLanguage.value === null ? { model: asrModel.value } : { model: asrModel.value, language: asrLanguage.value };
  }

  async function loadModels(): Promise<void> {
    await status.guard(async () => {
      overview.value = await api.invoke('models:list', undefined);
      // A choice whose pack is gone (removed elsewhere) falls back to the default.
      const packs = overview.value.models.filter((m) => m.kind === 'fusion-pack' && !m.problem);
      if (analysisModel.value !== null && !packs.some((m) => m.id === analysisModel.value)) useForAnalysis(null);
      // Likewise a speech recognizer that is gone or refused: no transcription; a language it no longer knows: its default.
      const recognizer = overview.value.models.find((m) => m.kind === 'speech-recognizer' && !m.problem && m.id === asrModel.value);
      if (asrModel.value !== null && !recognizer) useForTranscription(null);
      else if (recognizer && asrLanguage.value !== null && !(recognizer.pretrained?.languages ?? []).includes(asrLanguage.value)) {
        setTranscriptionLanguage(null);
      }
    });
  }

  async function addModel(path: string): Promise<void> {
    if (!path.trim()) return;
    await status.guard(async () => {
      const added = await api.invoke('models:add', { path: path.trim() });
      status.notice.value = t('modelAdded', { id: added.id });
    });
    await loadModels();
  }

  async function removeModel(id: string): Promise<void> {
    await status.guard(async () => {
      await api.invoke('models:remove', { id });
      if (analysisModel.value === id) useForAnalysis(null);
      if (asrModel.value === id) useForTranscription(null);
      status.notice.value = t('modelRemoved', { id });
    });
    await loadModels();
  }

  /** Polls a started download until it ends; reports it and lists the models again. */
  async function follow(started: ModelDownloadStatus): Promise<ModelDownloadStatus | null> {
    download.value = started;
    await status.guard(async () => {
      while (download.value?.state === 'running') {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        [download.value] = await api.invoke('models:downloadStatus', { jobId: started.jobId });
      }
    });
    const done = download.value;
    if (done?.state === 'done') status.notice.value = t('modelDownloaded', { id: done.id });
    if (done?.state === 'failed') status.error.value = done.error?.message ?? t('modelDownloadFailed');
    await loadModels();
    return done;
  }

  async function startDownload(url: string, id: string): Promise<void> {
    if (!url.trim() || !id.trim() || download.value?.state === 'running') return;
    indexUrl.value = url.trim();
    globalThis.localStorage?.setItem(INDEX_URL_KEY, indexUrl.value);
    const started = await status.guard(() => api.invoke('models:download', { indexUrl: indexUrl.value, id: id.trim() }));
    if (started) await follow(started);
  }

  async function loadCatalog(): Promise<void> {
    await status.guard(async () => {
      catalog.value = await api.invoke('models:catalog', undefined);
    });
  }

  /** Gets a catalog model from the Hub; a speech recognizer got is then the one Analyze transcribes with. */
  async function getFromCatalog(id: string): Promise<void> {
    if (download.value?.state === 'running') return;
    const entry = catalog.value?.find((m) => m.id === id);
    const started = await status.guard(() => api.invoke('models:get', { id }));
    if (!started) return;
    const done = await follow(started);
    if (done?.state === 'done' && entry?.kind === 'speech-recognizer') {
      const listed = overview.value?.models.find((m) => m.id === id && m.kind === 'speech-recognizer' && !m.problem);
      const languages = listed?.pretrained?.languages ?? [];
      if (listed) useForTranscription(id, languages.includes('en') ? 'en' : null);
      status.notice.value = t('modelGot', { id });
    }
    await loadCatalog();
  }

  async function cancelDownload(): Promise<void> {
    const job = download.value;
    if (job?.state !== 'running') return;
    await status.guard(() => api.invoke('models:downloadCancel', { jobId: job.jobId }));
  }

  return {
    overview,
    download,
    catalog,
    hasRecognizer,
    analysisModel,
    asrModel,
    asrLanguage,
    indexUrl,
    loadModels,
    addModel,
    removeModel,
    startDownload,
    loadCatalog,
    getFromCatalog,
    cancelDownload,
    useForAnalysis,
    useForTranscription,
    setTranscriptionLanguage,
    transcription,
  };
}

export type Models = ReturnType<typeof createModels>;
