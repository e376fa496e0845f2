// Transcript files (SRT, WebVTT) -> cues, with errors that name the file.
// Cue text is flattened to one line per cue (see src/shared/subtitles.ts).

import { SubtitleError, formatSrt, formatVtt, parseSrt, parseVtt, type Cue } from '../../shared/subtitles';
import { FileProblems } from './file-problems';

export type TranscriptFormat = 'srt' | 'vtt';

/** Guesses the format from the file name, then from a leading WEBVTT line. */
export function transcriptFormatOf(file: string, text: string): TranscriptFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.vtt')) return 'vtt';
  if (lower.endsWith('.srt')) return 'srt';
  return /^\uFEFF?WEBVTT/.test(text) ? 'vtt' : 'srt';
}

/** Parses transcript text; a bad file throws a 'bad-file' FileProblemsError naming each bad line. */
export function parseTranscript(text: string, file: string, format: TranscriptFormat = transcriptFormatOf(file, text)): Cue[] {
  try {
    return format === 'vtt' ? parseVtt(text) : parseSrt(text);
  } catch (err) {
    if (!(err instanceof SubtitleError)) throw err;
    const what = format === 'vtt' ? 'WebVTT' : 'SRT';
    const problems = new FileProblems(
      file,
      'bad-file',
      `Nothing was imported; fix the ${what} file (timings look like ${format === 'vtt' ? '00:01:02.500' : '00:01:02,500'} --> ...) and import it again.`,
    );
    for (const p of err.problems) problems.add(p.line, p.reason);
    problems.throwIfAny();
    throw err;
  }
}

export function formatTranscript(cues: readonly Cue[], format: TranscriptFormat): string {
  return format === 'vtt' ? formatVtt(cues) : formatSrt(cues);
}
