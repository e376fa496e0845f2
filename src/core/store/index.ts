// The project store's public surface.
export { ProjectStore, type OpenOptions } from './project-store';
export type {
  MediaFile,
  NewMedia,
  NewSegment,
  SegmentPatch,
  MosiLabelInput,
  MvsaLabelInput,
  NewPrediction,
  MosiAdjudicationInput,
  MvsaAdjudicationInput,
  TraceReplace,
} from './project-store';
export { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';
export { useSqliteNativeBinding } from './connection';
export { addMediaFile, inspectMediaFile, mediaKindOf, mediaNameOf, storeMediaFile, type InspectedMediaFile } from './media-files';
export { snapshotProject } from './project-snapshot';
