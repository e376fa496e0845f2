// One rule for "this modality is absent" after a failed extraction.

import { describe, expect, it } from 'vitest';
import { absenceReason } from '../../src/core/analysis/features/absence';
import { SentiscopeError } from '../../src/shared/errors';

describe('absenceReason', () => {
  it('a missing stream makes its own modality absent, and only that one', () => {
    expect(absenceReason(new SentiscopeError('no-audio', 'x.mp4 has no audio'), 'audio')).toBe('no audio stream');
    expect(absenceReason(new SentiscopeError('no-video', 'x.wav has no video'), 'visual')).toBe('no video stream');
    expect(absenceReason(new SentiscopeError('no-audio', 'x.mp4 has no audio'), 'visual')).toBeNull();
  });

  it('an undecodable file is absent with the reason', () => {
    for (const code of ['media-corrupt', 'not-media', 'unsupported-codec'] as const) {
      expect(absenceReason(new SentiscopeError(code, 'clip.mp4 is cut short'), 'audio')).toBe('undecodable: clip.mp4 is cut short');
    }
  });

  it('a missing tool, a bad model or a bug is not an absence', () => {
    expect(absenceReason(new SentiscopeError('tool-missing', 'no ffmpeg'), 'audio')).toBeNull();
    expect(absenceReason(new SentiscopeError('bad-model', 'face net damaged'), 'visual')).toBeNull();
    expect(absenceReason(new TypeError('x is undefined'), 'text')).toBeNull();
  });
});
