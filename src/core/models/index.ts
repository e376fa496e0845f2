// Model packs and the prediction runtime: loading and checking packs, choosing the
// execution provider, running fusion models, and per-modality contributions.

export * from './manifest';
export { FEATURE_KINDS, frameModalities, isTensorFeature } from './feature-columns';
export type { FeatureKind } from './feature-columns';
export {
  defaultModelsDir,
  describeTextRecipeMismatch,
  listModelPacks,
  loadModelPack,
  manifestProblems,
  resolveModelPack,
} from './pack-loader';
export type { ModelPack, ModelPackListing } from './pack-loader';
export {
  DEFAULT_THREADS,
  DEVICES,
  GPU_OUTPUT_TOLERANCE,
  autoProviderOrder,
  describeProvider,
  openSession,
  providerUnavailable,
  releaseSessions,
} from './execution-providers';
export type { Device, ExecutionProvider, ProvidedSession, ProviderFallback, SessionOptions } from './execution-providers';
export { FusionRunner, softmax } from './fusion-runner';
export type { FusionOutput, FusionRunnerOptions, ModalityMask } from './fusion-runner';
export { predictWithContributions } from './shapley';
export { PREDICTION_COLUMNS, predictCsv, predictionCells } from './batch-predict';
export type { BatchPredictOptions, BatchPredictReport } from './batch-predict';
export type { SegmentPrediction } from './shapley';
export { describePretrained, listInstalledModels, type InstalledModel } from './inventory';
export { ORIGIN_FILE } from './staged-install';
export {
  addModelFromFolder,
  listRootedPacks,
  modelRoots,
  packFolderFor,
  pretrainedRoot,
  removeAddedModel,
  userModelsDir,
  userPretrainedDir,
} from './user-models';
export {
  addPretrainedFolder,
  inspectPretrainedFolder,
  installStagedPretrained,
  listPretrained,
  pretrainedIdFor,
  pretrainedLicense,
  removePretrained,
} from './pretrained-models';
export type { AddedPretrained, PretrainedFolderInfo, PretrainedKind, PretrainedListing } from './pretrained-models';
export { addModelFolder, removeModel } from './model-folders';
export type { AddedModel } from './model-folders';
export type { ModelRoots, RootedListing } from './user-models';
export { MODEL_INDEX_FORMAT, MODEL_INDEX_FORMAT_VERSION, downloadModel, downloadModelFolder, fetchModelIndex } from './model-download';
export type { DownloadOptions, ModelIndex, ModelIndexEntry, ModelIndexFile } from './model-download';
export { DEFAULT_HUB, catalogEntry, getCatalogModel, hubEndpoint, hubFileListing, hubFileUrl } from './hub-download';
export { CATALOG_ENV, recommendedModels } from './recommended-catalog';
export type { ExpectedFile } from './verified-download';
