// The analysis pipeline: one media item from file to stored predictions (see
// ARCHITECTURE "The analysis pipeline"). Jobs around it (queue, worker, progress
// transport) live in src/core/jobs.

export { runAnalysisJob, stretchesOf } from './analysis-job';
export type { AnalysisJobContext } from './analysis-job';
export { JobProgress } from './job-progress';
export { resolveSegmentation, segmentsForJob } from './job-segments';
export type { JobSegments, SegmentStepOptions } from './job-segments';
export { SpanFeatureExtractor } from './span-features';
export { SegmentFrameFeatureExtractor } from './segment-frame-features';
export type { SegmentFrameFeatureOptions } from './segment-frame-features';
export type { SpanFeatureOptions, SpanSegment } from './span-features';
export { inThreadVisualPass, visualPass } from './visual-pass';
export type { VisualPassFactory, VisualPassRequest, VisualPassResult, VisualPassRunner } from './visual-pass';
export { ANALYSIS_COLUMNS, analysisRows, formatAnalysisCsv } from './analysis-results';
export type { AnalysisRow } from './analysis-results';
