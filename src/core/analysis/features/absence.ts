// When a failure to extract a modality means "this modality is absent" (the segment is
// still predicted from the others) and when it is an error to show. One rule for every
// extractor (segment features, stretches, the visual pass, encoders), so a file without an
// audio stream reads the same in `predict`, `analyze` and the app.
//
// Absent: the stream is not there (no-audio for audio, no-video for visual), or the file
// cannot be decoded (corrupt, not media, a codec this ffmpeg lacks). Everything else (a
// missing tool, a bad model, a bug) is thrown: a prediction must not quietly lose a modality
// because Sentiscope itself is broken.

import type { Modality } from '../../../shared/domain';
import { SentiscopeError, type ErrorCode } from '../../../shared/errors';

const UNDECODABLE = new Set<ErrorCode>(['media-corrupt', 'not-media', 'unsupported-codec']);
const MISSING_STREAM: Partial<Record<ErrorCode, { modality: Modality; reason: string }>> = {
  'no-audio': { modality: 'audio', reason: 'no audio stream' },
  'no-video': { modality: 'visual', reason: 'no video stream' },
};

/** The reason `modality` is absent after `error`, or null when `error` must be thrown. */
export function absenceReason(error: unknown, modality: Modality): string | null {
  if (!(error instanceof SentiscopeError)) return null;
  const missing = MISSING_STREAM[error.code];
  if (missing) return missing.modality === modality ? missing.reason : null;
  if (UNDECODABLE.has(error.code)) return `undecodable: ${error.message}`;
  return null;
}
