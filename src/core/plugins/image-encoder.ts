// A CLIP image encoder plug-in: an RGB frame (what media/frame-sampler gives) -> the CLIP
// image processor (resize shortest edge, center crop, rescale, normalize) -> the vision
// tower with projection (vision_model.onnx, pixel_values -> image_embeds). When the folder
// also holds the text tower (text_model.onnx + tokenizer), embedText puts text in the same
// space (input_ids -> text_embeds).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AutoImageProcessor,
  AutoTokenizer,
  CLIPTextModelWithProjection,
  CLIPVisionModelWithProjection,
  RawImage,
} from '@huggingface/transformers';
import type { ImageProcessor, PreTrainedModel, PreTrainedTokenizer, Tensor } from '@huggingface/transformers';
import { SentiscopeError } from '../../shared/errors';
import { checkedThreads, type ExecutionProvider, type ProviderFallback } from '../models/execution-providers';
import { expectModality, inspectEncoderFolder, type EncoderFolder, type ImageFamily } from './encoder-folder';
import { placeOnDevice, type EncoderOpenOptions } from './encoder-device';
import { loadFailure, missingOutput } from './encoder-errors';
import { rowsOf } from './pooling';
import { localFileOptions, localModelOptions } from './transformers-runtime';

/** Row-major RGB pixels; a media VideoFrame is one. */
export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes. */
  rgb: Uint8Array;
}

export interface ImageEncoder {
  modality: 'image';
  family: ImageFamily;
  /** Projection size: the length of every vector embed (and embedText) returns. */
  dims: number;
  provider: ExecutionProvider;
  fallbacks: ProviderFallback[];
  folder: EncoderFolder;
  /** image_embeds of one RGB image. */
  embed(image: RgbImage): Promise<Float32Array>;
  /** True when the folder has the text tower, so embedText works. */
  hasText: boolean;
  /** text_embeds of one text, in the image space; throws when hasText is false. */
  embedText(text: string): Promise<Float32Array>;
  dispose(): Promise<void>;
}

interface TextTower {
  tokenizer: PreTrainedTokenizer;
  model: PreTrainedModel;
}

function textTowerFiles(folder: EncoderFolder): string[] {
  const model = join(folder.dir, folder.subfolder, `text_model${folder.dtype === 'q8' ? '_quantized' : ''}.onnx`);
  return [model, join(folder.dir, 'tokenizer.json'), join(folder.dir, 'tokenizer_config.json')];
}

export async function openImageEncoder(dir: string, options: EncoderOpenOptions = {}): Promise<ImageEncoder> {
  const folder = inspectEncoderFolder(dir);
  expectModality(folder, 'image');
  const threads = checkedThreads(options.threads);
  const hasText = textTowerFiles(folder).every((f) => existsSync(f));

  let processor: ImageProcessor;
  let placed;
  try {
    processor = await AutoImageProcessor.from_pretrained(folder.dir, localFileOptions());
    placed = await placeOnDevice(options.device ?? 'cpu', async (provider) => {
      const load = localModelOptions({ subfolder: folder.subfolder, dtype: folder.dtype, provider, threads });
      const vision = await CLIPVisionModelWithProjection.from_pretrained(folder.dir, load);
      const text: TextTower | null = hasText
        ? {
            tokenizer: await AutoTokenizer.from_pretrained(folder.dir, localFileOptions()),
            model: await CLIPTextModelWithProjection.from_pretrained(folder.dir, load),
          }
        : null;
      return { vision, text };
    });
  } catch (err) {
    throw loadFailure(folder, err);
  }
  const { vision, text } = placed.value;
  const visionOutputs: readonly string[] = vision.sessions.model?.outputNames ?? [];
  if (!visionOutputs.includes('image_embeds')) throw missingOutput(folder, 'image_embeds', visionOutputs);
  const config = folder.config;
  const dims = config.projection_dim ?? config.vision_config?.projection_dim ?? 0;

  return {
    modality: 'image',
    family: folder.family as ImageFamily,
    dims,
    provider: placed.provider,
    fallbacks: placed.fallbacks,
    folder,
    hasText,
    async embed(image) {
      const { width, height, rgb } = image;
      if (!(width >= 1 && height >= 1) || rgb.length !== width * height * 3) {
        throw new SentiscopeError(
          'bad-request',
          `An RGB image of ${width}x${height} needs ${width * height * 3} bytes, got ${rgb.length}.`,
          null,
        );
      }
      const inputs = await processor(new RawImage(rgb, width, height, 3));
      const outputs = (await vision(inputs)) as Record<string, Tensor | undefined>;
      if (!outputs.image_embeds) throw missingOutput(folder, 'image_embeds', Object.keys(outputs));
      return rowsOf(outputs.image_embeds)[0];
    },
    async embedText(sentence) {
      if (!text) {
        const [model] = textTowerFiles(folder);
        throw new SentiscopeError(
          'file-missing',
          `${folder.dir} holds only CLIP's image tower: add ${model}, tokenizer.json and tokenizer_config.json to embed text.`,
          model,
        );
      }
      const inputs = text.tokenizer([sentence], { padding: true, truncation: true });
      const outputs = (await text.model(inputs)) as Record<string, Tensor | undefined>;
      if (!outputs.text_embeds) throw missingOutput(folder, 'text_embeds', Object.keys(outputs));
      return rowsOf(outputs.text_embeds)[0];
    },
    async dispose() {
      await vision.dispose();
      await text?.model.dispose();
    },
  };
}
