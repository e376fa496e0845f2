// The desktop app's native file dialogs, answering 'dialog:openFile' and 'dialog:saveFile'
// in place of the core's handlers (which refuse: browser mode has no dialogs). Thin on
// purpose: the page only gets back the chosen path, which then goes through the ordinary
// channels (project:open, media:add, io:export) and their checks.

import { BrowserWindow, dialog, type FileFilter, type OpenDialogOptions } from 'electron';
import type { ContractHandlers, ExportFormat, RequestOf } from '../shared/contract';

type OpenPurpose = RequestOf<'dialog:openFile'>['purpose'];

const MEDIA_EXTENSIONS = [
  'mp4',
  'm4v',
  'mov',
  'mkv',
  'webm',
  'avi',
  'mpg',
  'mpeg',
  'wav',
  'mp3',
  'm4a',
  'aac',
  'flac',
  'ogg',
  'opus',
  'jpg',
  'jpeg',
  'png',
];
const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };

const OPEN: Record<OpenPurpose, { title: string; filters: FileFilter[]; properties: OpenDialogOptions['properties'] }> = {
  media: {
    title: 'Add media',
    filters: [{ name: 'Video, audio and images', extensions: MEDIA_EXTENSIONS }, ALL_FILES],
    properties: ['openFile'],
  },
  // promptToCreate (Windows) lets a new project file be named here; elsewhere type a new path.
  project: {
    title: 'Open project',
    filters: [{ name: 'Sentiscope project', extensions: ['sentiscope'] }, ALL_FILES],
    properties: ['openFile', 'promptToCreate'],
  },
  import: {
    title: 'Import labels or transcript',
    filters: [{ name: 'CSV, SRT, WebVTT, ELAN, TextGrid', extensions: ['csv', 'srt', 'vtt', 'eaf', 'TextGrid'] }, ALL_FILES],
    properties: ['openFile'],
  },
};

const EXPORT_FILTERS: Record<ExportFormat, FileFilter> = {
  mosi: { name: 'MOSI labels (CSV)', extensions: ['csv'] },
  mvsa: { name: 'MVSA labels (CSV)', extensions: ['csv'] },
  segments: { name: 'Segments (CSV)', extensions: ['csv'] },
  srt: { name: 'SubRip subtitles', extensions: ['srt'] },
  vtt: { name: 'WebVTT subtitles', extensions: ['vtt'] },
  eaf: { name: 'ELAN annotation file', extensions: ['eaf'] },
  textgrid: { name: 'Praat TextGrid', extensions: ['TextGrid'] },
  trace: { name: 'Rating traces (CSV)', extensions: ['csv'] },
};

export function fileDialogHandlers(): Pick<ContractHandlers, 'dialog:openFile' | 'dialog:saveFile'> {
  return {
    'dialog:openFile': async ({ purpose }) => {
      const options: OpenDialogOptions = { ...OPEN[purpose] };
      const window = BrowserWindow.getFocusedWindow();
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
      return { path: result.canceled ? null : (result.filePaths[0] ?? null) };
    },
    'dialog:saveFile': async ({ format }) => {
      const options = { title: 'Export', filters: format ? [EXPORT_FILTERS[format], ALL_FILES] : [ALL_FILES] };
      const window = BrowserWindow.getFocusedWindow();
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
      return { path: result.canceled ? null : (result.filePath ?? null) };
    },
  };
}
