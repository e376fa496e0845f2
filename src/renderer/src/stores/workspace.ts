// The workspace store: what the panels read and the actions they call; none talk to the
// core. It is put together from focused parts (stores/workspace/):
//   status.ts           banners, busy count, annotator, help, shell
//   library.ts          project, media list, selected item, waveform peaks
//   annotations.ts      segments, labels, predictions, selection, playhead, lookups
//   edit-commands.ts    every edit as an undoable command saved through the contract
//   project-actions.ts  open project, add/select media, export, file dialogs
//   models.ts           the Models page: installed packs, add/remove/download, Analyze's pack
//                       and speech recognizer

import { defineStore } from 'pinia';
import { useContractClient } from '../api/client';
import { createAnalysis } from './workspace/analysis';
import { createAnnotations } from './workspace/annotations';
import { createEditCommands } from './workspace/edit-commands';
import { createLibrary } from './workspace/library';
import { createModels } from './workspace/models';
import { createProjectActions } from './workspace/project-actions';
import { createStatus } from './workspace/status';

export type { Scheme } from './workspace/annotations';
export type { LoadedPeaks } from './workspace/library';
export type { OpenPurpose } from './workspace/project-actions';
export { MIN_SEGMENT, splitText } from './workspace/edit-commands';

export const useWorkspace = defineStore('workspace', () => {
  const api = useContractClient();
  const status = createStatus();
  const library = createLibrary(api);
  const annotations = createAnnotations(api, library.media, status.annotator);
  const edits = createEditCommands(api, status, library, annotations);
  const actions = createProjectActions(api, status, library, annotations, edits);
  const models = createModels(api, status);
  const analysis = createAnalysis(api, status, library, annotations, () => models.analysisModel.value, models.transcription);

  return {
    // state
    project: library.project,
    mediaList: library.mediaList,
    mediaId: library.mediaId,
    media: library.media,
    peaks: library.peaks,
    peaksLoading: library.peaksLoading,
    segments: annotations.segments,
    labels: annotations.labels,
    predictions: annotations.predictions,
    selectedId: annotations.selectedId,
    selected: annotations.selected,
    playing: annotations.playing,
    currentTime: annotations.currentTime,
    scheme: annotations.scheme,
    labelsBySegment: annotations.labelsBySegment,
    predictionsBySegment: annotations.predictionsBySegment,
    segmentById: annotations.segmentById,
    annotator: status.annotator,
    error: status.error,
    notice: status.notice,
    busy: status.busy,
    helpOpen: status.helpOpen,
    modelsOpen: status.modelsOpen,
    models: models.overview,
    modelDownload: models.download,
    analysisModel: models.analysisModel,
    asrModel: models.asrModel,
    asrLanguage: models.asrLanguage,
    modelIndexUrl: models.indexUrl,
    editingId: status.editingId,
    shell: status.shell,
    canUndo: edits.canUndo,
    canRedo: edits.canRedo,
    historyVersion: edits.historyVersion,
    // queries
    myLabel: annotations.myLabel,
    displayScore: annotations.displayScore,
    isQuestionable: annotations.isQuestionable,
    predictedScore: annotations.predictedScore,
    neighbour: annotations.neighbour,
    // actions
    init: actions.init,
    openProject: actions.openProject,
    addMedia: actions.addMedia,
    selectMedia: actions.selectMedia,
    analysisJob: analysis.analysisJob,
    analysisRunning: analysis.analysisRunning,
    startAnalysis: analysis.startAnalysis,
    cancelAnalysis: analysis.cancelAnalysis,
    refreshMedia: library.refreshMedia,
    loadModels: models.loadModels,
    addModel: models.addModel,
    removeModel: models.removeModel,
    startModelDownload: models.startDownload,
    cancelModelDownload: models.cancelDownload,
    useModelForAnalysis: models.useForAnalysis,
    useModelForTranscription: models.useForTranscription,
    setTranscriptionLanguage: models.setTranscriptionLanguage,
    exportTo: actions.exportTo,
    importTranscript: actions.importTranscript,
    browseOpen: actions.browseOpen,
    browseSave: actions.browseSave,
    setAnnotator: status.setAnnotator,
    select: annotations.select,
    setMosi: edits.setMosi,
    setMvsa: edits.setMvsa,
    setLabelExtras: edits.setLabelExtras,
    acceptPrediction: edits.acceptPrediction,
    nudgeScore: edits.nudgeScore,
    updateSegment: edits.updateSegment,
    nudgeEdge: edits.nudgeEdge,
    createSegment: edits.createSegment,
    deleteSegment: edits.deleteSegment,
    splitAt: edits.splitAt,
    mergeWithNext: edits.mergeWithNext,
    undo: edits.undo,
    redo: edits.redo,
    historySize: edits.historySize,
  };
});
