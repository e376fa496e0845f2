// Opening a project, adding and selecting media, exporting (with the aggregation of several
// annotators, parts/export-aggregation.ts), and the native file dialogs
// (desktop only): the actions that move the whole workspace from one item to another.

import type { ContractClient, ExportFormat, ImportFormat } from '../../../../shared/contract';
import { t } from '../../i18n';
import type { Annotations } from './annotations';
import { aggregationRequest, type ExportAggregation } from './export-aggregation';
import type { EditCommands } from './edit-commands';
import type { Library } from './library';
import type { Status } from './status';

const LAST_MEDIA_KEY = 'sentiscope.lastMedia';

/** A transcript's format from its file name: .srt, .vtt, .csv, anything else is plain text. */
export function transcriptFormatOfPath(path: string): ImportFormat {
  const ext = /\.([^./\\]+)$/.exec(path.trim().toLowerCase())?.[1];
  if (ext === 'srt' || ext === 'vtt') return ext;
  return ext === 'csv' ? 'transcript-csv' : 'txt';
}

export type OpenPurpose = 'media' | 'project' | 'import';

export function createProjectActions(api: ContractClient, status: Status, library: Library, annotations: Annotations, edits: EditCommands) {
  const { guard, notice } = status;
  const { project, mediaList, mediaId, peaks, refreshMedia, loadPeaks } = library;

  async function init(): Promise<void> {
    await guard(async () => {
      project.value = await api.invoke('project:current', undefined);
      if (!project.value) return;
      status.annotatorFor(project.value.path);
      await refreshMedia();
      const last = Number(globalThis.localStorage?.getItem(LAST_MEDIA_KEY));
      if (mediaList.value.some((m) => m.id === last)) await selectMedia(last);
    });
  }

  async function openProject(path: string): Promise<void> {
    await guard(async () => {
      project.value = await api.invoke('project:open', { path: path.trim() });
      status.annotatorFor(project.value.path);
      mediaId.value = null;
      peaks.value = null;
      edits.clearHistory();
      await edits.switchTo(null, async () => annotations.reset());
      await refreshMedia();
    });
  }

  /**
   * The open project's file was replaced under the workspace (a combine): the edit history
   * no longer matches it, so it is cleared, and the media and the item in hand are read again.
   */
  async function reloadProject(): Promise<void> {
    const keep = mediaId.value;
    await guard(async () => {
      project.value = await api.invoke('project:current', undefined);
      edits.clearHistory();
      await refreshMedia();
    });
    if (keep !== null && mediaList.value.some((m) => m.id === keep)) await selectMedia(keep);
  }

  async function addMedia(path: string): Promise<void> {
    await guard(async () => {
      const added = await api.invoke('media:add', { path: path.trim() });
      await refreshMedia();
      await selectMedia(added.id);
    });
  }

  async function selectMedia(id: number): Promise<void> {
    await guard(async () => {
      mediaId.value = id;
      annotations.selectedId.value = null;
      peaks.value = null;
      globalThis.localStorage?.setItem(LAST_MEDIA_KEY, String(id));
      const item = mediaList.value.find((m) => m.id === id);
      // Peaks and segments load side by side: the waveform need not wait for 2,000 rows.
      // (The failure is kept as a value until awaited, so it never shows as an unhandled rejection.)
      const waveform =
        item?.path && (item.kind === 'video' || item.kind === 'audio')
          ? loadPeaks(id).then(
              () => null,
              (err: unknown) => ({ err }),
            )
          : null;
      // The rows are replaced inside the edit queue: an edit still on its way finishes on
      // the item it was made on ([Note: one history per media item]).
      await edits.switchTo(id, async () => {
        annotations.reset();
        await annotations.load(id, () => mediaId.value === id);
      });
      const list = annotations.segments.value;
      if (list.length && (item?.kind === 'image' || item?.kind === 'none')) annotations.selectedId.value = list[0].id;
      const failed = await waveform;
      if (failed) throw failed.err;
    });
  }

  /**
   * Writes an export of the open project. MOSI and MVSA exports bring several annotators'
   * labels together as `aggregation` says (default: the mean; MVSA the majority).
   */
  async function exportTo(
    format: ExportFormat,
    path: string,
    aggregation: ExportAggregation = { choice: 'mean', minAnnotators: 1 },
  ): Promise<void> {
    await guard(async () => {
      // ELAN and Praat files hold one media item: the one in the workspace.
      const one = (format === 'eaf' || format === 'textgrid') && mediaId.value !== null ? { mediaIds: [mediaId.value] } : {};
      const report = await api.invoke('io:export', { format, path: path.trim(), ...one, ...aggregationRequest(format, aggregation) });
      const notes = [
        report.skippedConflicts ? t('exportedConflicts', { n: report.skippedConflicts }) : '',
        report.skippedFewAnnotators ? t('exportedFewAnnotators', { n: report.skippedFewAnnotators }) : '',
        report.noMajority?.length ? t('exportedNoMajority', { n: report.noMajority.length, ids: report.noMajority.join(', ') }) : '',
      ];
      notice.value = [t('exported', { rows: report.rows, file: report.file }), ...notes.filter(Boolean)].join(' ');
    });
  }

  /** The native open dialog (desktop app); null when cancelled or it failed (the banner says why). */
  async function browseOpen(purpose: OpenPurpose): Promise<string | null> {
    return (await guard(async () => (await api.invoke('dialog:openFile', { purpose })).path)) ?? null;
  }

  /** The native save dialog for an export file; null when cancelled. */
  async function browseSave(format: ExportFormat): Promise<string | null> {
    return (await guard(async () => (await api.invoke('dialog:saveFile', { purpose: 'export', format })).path)) ?? null;
  }

  /**
   * Attaches a transcript file to the selected media item, then reloads its segments.
   * The import is not undoable, so this item's edit history is cleared (older commands could
   * otherwise write back over the imported text).
   */
  async function importTranscript(path: string): Promise<void> {
    const id = mediaId.value;
    if (id === null) return;
    await guard(async () => {
      const report = await api.invoke('io:import', { format: transcriptFormatOfPath(path), path: path.trim(), mediaId: id });
      edits.clearHistoryOf(id);
      await edits.switchTo(id, () => annotations.load(id, () => mediaId.value === id));
      notice.value = t('importedTranscript', { n: report.segments, file: report.file });
    });
  }

  return { init, openProject, reloadProject, addMedia, selectMedia, exportTo, importTranscript, browseOpen, browseSave };
}
