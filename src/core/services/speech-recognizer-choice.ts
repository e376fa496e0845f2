// The speech recognizer an analysis started from the page uses: the page names an added
// Whisper folder by its id (the Models page lists them), the job is given its folder. The
// id and the language are checked here, so a wrong choice is refused at once, naming the
// model, instead of failing the job after probing and segmenting.

import type { AnalysisAsrSpec } from '../../shared/analysis-job';
import { SentiscopeError } from '../../shared/errors';
import { checkLanguage, inspectWhisperFolder } from '../asr/whisper-folder';
import { listPretrained, pretrainedRoot, type ModelRoots } from '../models';

export async function speechRecognizerSpec(choice: { model: string; language?: string }, roots: ModelRoots): Promise<AnalysisAsrSpec> {
  const root = pretrainedRoot(roots) ?? roots.shipped;
  const found = (await listPretrained(roots)).find((l) => l.id === choice.model);
  if (!found) {
    throw new SentiscopeError(
      'not-found',
      `No speech recognizer "${choice.model}" is added in ${root}: add its Whisper folder on the Models page, or choose none for transcription there.`,
      root,
    );
  }
  if (found.kind !== 'speech-recognizer') {
    throw new SentiscopeError(
      'bad-request',
      `"${choice.model}" (${found.dir}) is an encoder, not a speech recognizer: choose a Whisper folder for transcription on the Models page.`,
      found.dir,
    );
  }
  if (found.error) throw found.error;
  // Refused here too when the model does not know the language (the recognizer would refuse it later).
  checkLanguage(inspectWhisperFolder(found.dir), choice.language);
  return { model: found.dir, ...(choice.language ? { language: choice.language } : {}) };
}
