// The speech recognition step of an analysis job (`analyze --asr DIR`): Whisper transcribes
// the job's segments that have no text yet, and each gets its words with their times. Text a
// person typed or imported is never replaced. All segments are updated in one transaction,
// so a cancelled job leaves either every transcribed text or none.

import type { AnalysisAsrSpec } from '../../../shared/analysis-job';
import type { Media, Segment } from '../../../shared/domain';
import type { ProjectStore } from '../../store';

export interface TranscriptionStepOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  onNote?: (line: string) => void;
}

/** Returns the job's segments with the transcribed text in place. */
export async function transcribeJobSegments(
  store: ProjectStore,
  media: Media,
  segments: readonly Segment[],
  asr: AnalysisAsrSpec,
  options: TranscriptionStepOptions = {},
): Promise<Segment[]> {
  const untranscribed = segments.filter((s) => s.text.trim() === '' && s.end > s.start);
  if (!untranscribed.length || !media.probe?.audio) {
    if (!media.probe?.audio) options.onNote?.(`${media.name}: no audio stream, nothing to transcribe`);
    return [...segments];
  }
  // Loaded only here: the library costs seconds to import, and most jobs do not transcribe.
  const { WhisperRecognizer, transcribeMedia } = await import('../../asr');
  const recognizer = await WhisperRecognizer.open(asr.model, { device: asr.device ?? 'cpu', threads: asr.threads });
  try {
    const transcript = await transcribeMedia(media.path!, recognizer, {
      language: asr.language,
      spans: untranscribed,
      signal: options.signal,
      onProgress: options.onProgress,
    });
    options.signal?.throwIfAborted();
    const byId = new Map<number, Segment>();
    store.transaction(() => {
      transcript.spans.forEach((span, i) => {
        if (!span.text) return;
        byId.set(untranscribed[i].id, store.updateSegment(untranscribed[i].id, { text: span.text, words: span.words }));
      });
    });
    const words = transcript.words.length;
    options.onNote?.(
      `${media.name}: ${recognizer.folder.name} on ${recognizer.provider} transcribed ${byId.size} of ${untranscribed.length} segments (${words} words${transcript.language ? `, language ${transcript.language}` : ''})`,
    );
    return segments.map((s) => byId.get(s.id) ?? s);
  } finally {
    await recognizer.dispose();
  }
}
