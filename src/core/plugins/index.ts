// Pretrained encoder plug-ins (text: BERT family; audio: wav2vec2 / HuBERT / WavLM; image:
// CLIP) run from a local model folder through @huggingface/transformers, offline.

import { openAudioEncoder, type AudioEncoder } from './audio-encoder';
import { inspectEncoderFolder } from './encoder-folder';
import { openImageEncoder, type ImageEncoder } from './image-encoder';
import { openTextEncoder, type TextEncoder, type TextEncoderOptions } from './text-encoder';

export { openAudioEncoder, minimumSamples } from './audio-encoder';
export type { AudioEncoder } from './audio-encoder';
export { openImageEncoder } from './image-encoder';
export type { ImageEncoder, RgbImage } from './image-encoder';
export { openTextEncoder } from './text-encoder';
export type { TextClassification, TextEncoder, TextEncoderOptions } from './text-encoder';
export { AUDIO_FAMILIES, IMAGE_FAMILIES, TEXT_FAMILIES, inspectEncoderFolder, modalityOf } from './encoder-folder';
export type { AudioFamily, EncoderFamily, EncoderFolder, EncoderModality, EncoderTask, ImageFamily, TextFamily } from './encoder-folder';
export type { EncoderOpenOptions } from './encoder-device';
export { clsPool, meanPool } from './pooling';
export type { Pooling } from './pooling';
export { useLocalModelsOnly } from './transformers-runtime';

export type Encoder = TextEncoder | AudioEncoder | ImageEncoder;

/** Open whichever encoder the folder's config.json describes. */
export async function openEncoder(dir: string, options: TextEncoderOptions = {}): Promise<Encoder> {
  const { modality } = inspectEncoderFolder(dir);
  if (modality === 'text') return openTextEncoder(dir, options);
  if (modality === 'audio') return openAudioEncoder(dir, options);
  return openImageEncoder(dir, options);
}
