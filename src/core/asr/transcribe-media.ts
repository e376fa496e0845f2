// Transcribing a media file: Whisper listens only where there is speech. The spans (voice
// activity utterances, or the segments a job already has) are packed into windows no longer
// than the model's chunk, each window is decoded from the file and recognised, and the words
// come back with file times, grouped per span. Skipping silence is also what keeps Whisper
// from inventing text over music and pauses.

import type { WordTiming } from '../../shared/domain';
import { SentiscopeError } from '../../shared/errors';
import { segmentMediaByVad } from '../analysis/segmentation';
import { assertHasAudio, decodeAudioToArray, probeMedia } from '../media';
import { checkLanguage } from './whisper-folder';
import type { WhisperRecognizer } from './whisper-recognizer';

export interface TimeSpan {
  start: number;
  end: number;
}

export interface TranscribedSpan extends TimeSpan {
  text: string;
  words: WordTiming[];
}

export interface MediaTranscript {
  file: string;
  /** The language decoded with (null for an English-only model). */
  language: string | null;
  model: string;
  provider: string;
  duration: number;
  /** One per span, in order; a span where nothing was recognised has text "". */
  spans: TranscribedSpan[];
  words: WordTiming[];
}

export interface TranscribeMediaOptions {
  language?: string;
  /** Where to listen; default: Silero VAD utterances of the whole file. */
  spans?: readonly TimeSpan[];
  signal?: AbortSignal;
  /** Seconds of speech transcribed so far, of the total. */
  onProgress?: (done: number, total: number) => void;
}

/** Consecutive spans packed into windows of at most `limit` seconds (a longer span is its own window). */
export function packWindows(spans: readonly TimeSpan[], limit: number): TimeSpan[] {
  const windows: TimeSpan[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = windows[windows.length - 1];
    if (last && span.end - last.start <= limit) last.end = Math.max(last.end, span.end);
    else windows.push({ start: span.start, end: span.end });
  }
  return windows;
}

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/;

/** Words joined into text: spaces between words, none between two CJK words. */
export function joinWords(words: readonly WordTiming[]): string {
  let text = '';
  for (const { word } of words) {
    if (text && !(CJK.test(text[text.length - 1]) && CJK.test(word[0]))) text += ' ';
    text += word;
  }
  return text;
}

/** Each word goes to the span holding its midpoint, else to the nearest span. */
export function assignWords(spans: readonly TimeSpan[], words: readonly WordTiming[]): TranscribedSpan[] {
  const out = spans.map((s) => ({ start: s.start, end: s.end, text: '', words: [] as WordTiming[] }));
  if (!out.length) return out;
  for (const w of words) {
    const mid = (w.start + w.end) / 2;
    const distance = (s: TimeSpan) => (mid < s.start ? s.start - mid : mid > s.end ? mid - s.end : 0);
    let best = out[0];
    for (const s of out) if (distance(s) < distance(best)) best = s;
    best.words.push(w);
  }
  for (const s of out) s.text = joinWords(s.words);
  return out;
}

export async function transcribeMedia(
  file: string,
  recognizer: WhisperRecognizer,
  options: TranscribeMediaOptions = {},
): Promise<MediaTranscript> {
  const { signal } = options;
  const language = checkLanguage(recognizer.folder, options.language);
  if (!recognizer.folder.wordTimestamps) {
    throw new SentiscopeError(
      'bad-model',
      `${recognizer.folder.dir}/generation_config.json has no alignment_heads, so Whisper cannot time its words: use an export that includes them (and cross-attention outputs).`,
      `${recognizer.folder.dir}/generation_config.json`,
    );
  }
  const info = await probeMedia(file);
  assertHasAudio(info, file);
  const duration = info.duration ?? 0;
  let spans = options.spans
    ? [...options.spans]
    : (await segmentMediaByVad(file, { signal })).segments.map((s) => ({ start: s.start, end: s.end }));
  spans = spans.filter((s) => s.end > s.start);
  const windows = packWindows(spans, recognizer.folder.chunkSeconds);
  const total = windows.reduce((sum, w) => sum + (w.end - w.start), 0);
  let done = 0;
  options.onProgress?.(0, total);
  const words: WordTiming[] = [];
  for (const window of windows) {
    signal?.throwIfAborted();
    const samples = await decodeAudioToArray(file, { start: window.start, end: window.end });
    if (!samples.length) continue;
    const recognized = await recognizer.recognize(samples, { language });
    for (const w of recognized.words) {
      words.push({ word: w.word, start: w.start + window.start, end: Math.min(w.end + window.start, window.end) });
    }
    done += window.end - window.start;
    options.onProgress?.(done, total);
  }
  return {
    file,
    language: language ?? null,
    model: recognizer.folder.name,
    provider: recognizer.provider,
    duration,
    spans: assignWords(spans, words),
    words,
  };
}
