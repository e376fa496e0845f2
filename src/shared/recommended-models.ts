// The catalog of recommended models Sentiscope offers to fetch, on the user's action only:
// what `sentiscope models catalog` prints and the Models page's "Get" list shows. Pure data.
//
// Each entry pins a Hugging Face Hub repo to one commit, so what a user gets is what was
// listed here. The pins were read from the Hub's own commit pages (as crawled), not fetched
// from this build machine, which has no network: they are unverified from here, and so are
// the sizes, which are approximate (the fp32 ONNX exports). A download checks every file
// against the size and checksum the Hub lists for that revision, not against these numbers.

/** 'speech-recognizer': a Whisper folder for `transcribe` and `analyze --asr`. */
export type CatalogModelKind = 'speech-recognizer';

export interface CatalogModel {
  /** The id it is installed under (`sentiscope models get ID`). */
  id: string;
  kind: CatalogModelKind;
  /** Hugging Face Hub repo id. */
  repo: string;
  /** The pinned commit (40 hex digits). */
  revision: string;
  /** Paths inside the repo, '/'-separated: only what Sentiscope runs (fp32 ONNX). */
  files: string[];
  /** Approximate total download in bytes. */
  bytes: number;
  /** Language codes it transcribes. */
  languages: string[];
  multilingual: boolean;
  license: string;
  goodFor: string;
  /** Real-time factor measured by this project (seconds of audio per second), or null where none could be measured. */
  speedRtf: number | null;
  speedNote: string;
}

/** What transformers.js reads for a Whisper folder in the Hub layout (see src/core/asr/whisper-folder.ts). */
const WHISPER_FILES = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'onnx/encoder_model.onnx',
  'onnx/decoder_model_merged.onnx',
];

/** The 99 languages of the multilingual Whisper checkpoints (generation_config.json lang_to_id). */
const WHISPER_LANGUAGES =
  'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi ml cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su'.split(
    ' ',
  );

const NOT_MEASURED = 'not measured: this build machine cannot reach the Hub; run `sentiscope transcribe` on a clip to see it on yours';

export const RECOMMENDED_MODELS: readonly CatalogModel[] = [
  {
    id: 'whisper-tiny',
    kind: 'speech-recognizer',
    repo: 'onnx-community/whisper-tiny',
    revision: '6d4fb5abc94227ee92e43fc5091278851eadf8a0',
    files: WHISPER_FILES,
    bytes: 155_000_000,
    languages: WHISPER_LANGUAGES,
    multilingual: true,
    license: 'apache-2.0',
    goodFor: 'fastest and smallest, any language: a rough first pass on a slow machine',
    speedRtf: null,
    speedNote: NOT_MEASURED,
  },
  {
    id: 'whisper-base.en',
    kind: 'speech-recognizer',
    repo: 'onnx-community/whisper-base.en',
    revision: 'fd8ac034a560b217176fae5215ca3fe05c9140f3',
    files: WHISPER_FILES,
    bytes: 295_000_000,
    languages: ['en'],
    multilingual: false,
    license: 'apache-2.0',
    goodFor: 'English only: fast, more accurate on English than the multilingual base; a good first pass for MOSI-style clips',
    speedRtf: null,
    speedNote: NOT_MEASURED,
  },
  {
    id: 'whisper-base',
    kind: 'speech-recognizer',
    repo: 'onnx-community/whisper-base',
    revision: '9f8df79a37b5d66783d879be66ed2e211ebca020',
    files: WHISPER_FILES,
    bytes: 295_000_000,
    languages: WHISPER_LANGUAGES,
    multilingual: true,
    license: 'apache-2.0',
    goodFor: 'multilingual (zh, de, es, ... 99 languages): fast, pick the language with --language',
    speedRtf: null,
    speedNote: NOT_MEASURED,
  },
];

export function catalogModel(id: string): CatalogModel | undefined {
  return RECOMMENDED_MODELS.find((m) => m.id === id);
}
