// `sentiscope transcribe VIDEO --asr RECOGNIZER`: Whisper speech recognition of one media
// file, written as SRT, WebVTT, plain text or JSON (with word times). One cue per utterance
// that voice activity detection found; the JSON has every word with its start and end.
// With --out the file is written and stdout is a JSON summary; without, stdout is the
// transcript itself, JSON unless --format says otherwise.

import { extname, resolve } from 'node:path';
import type { Cue } from '../../shared/subtitles';
import { formatSrt, formatVtt } from '../../shared/subtitles';
import { writeTextFileAtomic } from '../../core/io/text-file';
import { DEVICES } from '../../shared/devices';
import {
  UsageError,
  oneOfOption,
  parseCommandArgs,
  printResult,
  progressLine,
  renamedOption,
  requireOption,
  threadsOption,
  type Command,
} from '../command';
import { resolveAsrOption } from '../asr-option';

const FORMATS = ['srt', 'vtt', 'txt', 'json'] as const;
type Format = (typeof FORMATS)[number];

function formatOf(out: string | null, flag: string | undefined): Format {
  if (flag !== undefined) return oneOfOption(flag, '--format', FORMATS);
  // On stdout the transcript is JSON, as every command's result is.
  const ext = out ? extname(out).slice(1).toLowerCase() : 'json';
  if (!(FORMATS as readonly string[]).includes(ext))
    throw new UsageError(`cannot tell the format from '${out}': end --out in .srt, .vtt, .txt or .json, or give --format`);
  return ext as Format;
}

export const transcribeCommand: Command = {
  name: 'transcribe',
  usage: `transcribe VIDEO --asr RECOGNIZER [--language en|zh|...] [--out FILE.srt|.vtt|.txt|.json] [--format ${FORMATS.join('|')}] [--device ${DEVICES.join('|')}] [--threads N]`,
  summary: 'speech recognition with a Whisper model folder: utterances and word times as SRT, WebVTT, text or JSON',
  async run(args) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        asr: { type: 'string' },
        // The recognizer was --model until --model meant a fusion pack everywhere; kept for one release.
        model: { type: 'string' },
        language: { type: 'string' },
        out: { type: 'string' },
        format: { type: 'string' },
        device: { type: 'string', default: 'cpu' },
        threads: { type: 'string' },
      },
      { name: 'VIDEO (or audio) file', min: 1, max: 1 },
    );
    const model = await resolveAsrOption(requireOption(renamedOption('transcribe', values, 'model', 'asr'), '--asr'));
    const device = oneOfOption(values.device, '--device', DEVICES);
    const threads = threadsOption(values.threads);
    const out = values.out ? resolve(values.out) : null;
    const format = formatOf(out, values.format);
    const say = progressLine('transcribe');

    const { WhisperRecognizer, transcribeMedia } = await import('../../core/asr');
    const recognizer = await WhisperRecognizer.open(model, { device, threads });
    try {
      const fallback = recognizer.fallbacks.map((f) => `${f.provider} unavailable: ${f.reason}`).join('; ');
      say(`model ${recognizer.folder.name} on ${recognizer.provider}${fallback ? ` (${fallback})` : ''}`);
      let lastSaid = 0;
      const transcript = await transcribeMedia(resolve(positionals[0]), recognizer, {
        language: values.language,
        onProgress: (done, total) => {
          if (performance.now() - lastSaid < 1000 && done < total) return;
          lastSaid = performance.now();
          say(`${done.toFixed(1)} of ${total.toFixed(1)} s of speech`);
        },
      });
      const cues: Cue[] = transcript.spans.filter((s) => s.text).map((s) => ({ start: s.start, end: s.end, text: s.text }));
      const text =
        format === 'json'
          ? JSON.stringify(transcript, null, 2) + '\n'
          : format === 'srt'
            ? formatSrt(cues)
            : format === 'vtt'
              ? formatVtt(cues)
              : cues.map((c) => c.text).join('\n') + (cues.length ? '\n' : '');
      if (out) {
        await writeTextFileAtomic(out, text);
        say(`${transcript.words.length} words in ${cues.length} utterances -> ${out}`);
        printResult({ out, format, words: transcript.words.length, utterances: cues.length, model: recognizer.folder.name });
      } else {
        process.stdout.write(text);
      }
    } finally {
      await recognizer.dispose();
    }
  },
};
