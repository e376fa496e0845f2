// The media engine's public API: ffmpeg/ffprobe resolution, probe, streamed audio decode,
// cached waveform peaks, frame sampling and byte-range serving.

export { findMediaTools, parseToolVersion, resetMediaTools, resolveMediaTools } from './media-tools';
export type { FindMediaToolsOptions, MediaTools } from './media-tools';
export { assertHasAudio, assertHasVideo, probeMedia, probeMediaDetailed } from './probe';
export type { MediaProbe } from './probe';
export { ANALYSIS_SAMPLE_RATE, decodeAudio, decodeAudioToArray } from './audio-decode';
export type { DecodeAudioOptions } from './audio-decode';
export { fileIdentity } from './file-identity';
export { computeWaveformPeaks, getWaveformPeaks, peaksCacheName } from './peaks';
export type { WaveformPeaksOptions } from './peaks';
export { decoderThreads, fitFrameSize, sampleFrames } from './frame-sampler';
export type { SampleFramesOptions, VideoFrame } from './frame-sampler';
export { mediaContentType, openMediaResponse, parseRangeHeader } from './byte-range';
export type { ByteRange, MediaResponse } from './byte-range';
