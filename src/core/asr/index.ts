// Speech recognition (Whisper through @huggingface/transformers). Import this module
// dynamically: it loads the library, which takes seconds.

export { checkLanguage, inspectWhisperFolder } from './whisper-folder';
export type { WhisperFolder } from './whisper-folder';
export { WhisperRecognizer, timedWords } from './whisper-recognizer';
export type { RecognizedAudio, RecognizerOptions } from './whisper-recognizer';
export { assignWords, joinWords, packWindows, transcribeMedia } from './transcribe-media';
export type { MediaTranscript, TimeSpan, TranscribeMediaOptions, TranscribedSpan } from './transcribe-media';
