// Paints a spectrogram window onto a canvas for the visible time range: one image column
// per canvas pixel (nearest frame), one image row per mel band, stretched to the canvas
// height; low bands at the bottom. Colours: viridis over the top DYNAMIC_RANGE of the window.

import type { SpectrogramData } from './spectrogram-source';
import { VIRIDIS } from './viridis';
import type { TimeWindow } from './visible-window';

/** ln units shown below the window's loudest value (16 ≈ 70 dB). */
const DYNAMIC_RANGE = 16;

export function paintSpectrogram(canvas: HTMLCanvasElement, data: SpectrogramData, view: TimeWindow): boolean {
  const width = canvas.width;
  const height = canvas.height;
  const ctx = canvas.getContext('2d');
  if (!ctx || width < 1 || height < 1) return false;
  const { bins, frames, values, framesPerSecond } = data;
  const image = new ImageData(width, bins);
  const pixels = image.data;
  const low = data.max - DYNAMIC_RANGE;
  const scale = 255 / DYNAMIC_RANGE;
  const span = view.end - view.start;
  let painted = false;
  for (let x = 0; x < width; x++) {
    const time = view.start + ((x + 0.5) / width) * span;
    const frame = Math.round((time - data.start - data.firstFrameCenter) * framesPerSecond);
    if (frame < 0 || frame >= frames) continue;
    painted = true;
    const row = frame * bins;
    for (let b = 0; b < bins; b++) {
      const level = Math.max(0, Math.min(255, Math.round((values[row + b] - low) * scale)));
      const at = ((bins - 1 - b) * width + x) * 4;
      pixels[at] = VIRIDIS[level * 4];
      pixels[at + 1] = VIRIDIS[level * 4 + 1];
      pixels[at + 2] = VIRIDIS[level * 4 + 2];
      pixels[at + 3] = 255;
    }
  }
  const strip = document.createElement('canvas');
  strip.width = width;
  strip.height = bins;
  strip.getContext('2d')?.putImageData(image, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(strip, 0, 0, width, bins, 0, 0, width, height);
  return painted;
}
