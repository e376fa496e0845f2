// The file formats a project imports and exports, and how several annotators' labels
// become one on export. One list each, read by the contract's validators, the CLI's usage
// and checks, and the file dialogs.

/** ELAN .eaf and Praat .TextGrid: one media item's segments and labels as tiers; `mediaId` optional on import. */
export type TierFormat = 'eaf' | 'textgrid';
export const TIER_FORMATS: readonly TierFormat[] = ['eaf', 'textgrid'];

/**
 * srt, vtt, txt and transcript-csv attach a transcript to one media item (`mediaId`).
 * txt (and a transcript CSV without times) is spread over the speech and marked unaligned.
 */
export type ImportFormat = 'mosi' | 'mvsa' | 'segments' | 'srt' | 'vtt' | 'txt' | 'transcript-csv' | TierFormat;
export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'mosi',
  'mvsa',
  'segments',
  'srt',
  'vtt',
  'txt',
  'transcript-csv',
  'eaf',
  'textgrid',
];
/** The import formats that need the media item the transcript belongs to. */
export const TRANSCRIPT_FORMATS: readonly ImportFormat[] = ['srt', 'vtt', 'txt', 'transcript-csv'];

/**
 * srt, vtt, eaf and textgrid write one media item (ONE_MEDIA_EXPORT_FORMATS).
 * trace: the rating traces of live mode, `media,time_s,annotator,value`.
 */
export type ExportFormat = 'mosi' | 'mvsa' | 'segments' | 'srt' | 'vtt' | TierFormat | 'trace';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['mosi', 'mvsa', 'segments', 'srt', 'vtt', 'eaf', 'textgrid', 'trace'];
export const ONE_MEDIA_EXPORT_FORMATS: readonly ExportFormat[] = ['srt', 'vtt', 'eaf', 'textgrid'];

/** How several annotators' labels become one on export (MOSI: mean or median; adjudicated: the adjudicator's where set). */
export type ExportAggregate = 'mean' | 'median' | 'adjudicated';
export const EXPORT_AGGREGATES: readonly ExportAggregate[] = ['mean', 'median', 'adjudicated'];
