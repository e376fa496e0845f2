// Pixel work for the face models, on row-major RGB bytes: letterboxing a frame into the
// detector's square input and cutting a face crop into the expression net's grey square.
// Plain TypeScript bilinear sampling with half-pixel centres (OpenCV's INTER_LINEAR,
// TF's half_pixel_centers=true), so a Python port can reproduce the tensors exactly.

/** An RGB frame as sampleFrames yields it. */
export interface RgbImage {
  width: number;
  height: number;
  /** width * height * 3 bytes, row-major RGB. */
  rgb: Uint8Array;
}

/** Where the frame landed inside the square model input. */
export interface Letterbox {
  /** Model input pixels per frame pixel, per axis (content sides are whole pixels). */
  scaleX: number;
  scaleY: number;
  offsetX: number;
  offsetY: number;
}

/** Axis-aligned box in frame pixels (may reach outside the frame). */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function assertRgbImage(image: RgbImage): void {
  if (!(image.width >= 1 && image.height >= 1) || image.rgb.length !== image.width * image.height * 3) {
    throw new RangeError(
      `face analysis: frame of ${image.width}x${image.height} needs ${image.width * image.height * 3} RGB bytes, got ${image.rgb.length}`,
    );
  }
}

/**
 * Fit the frame, aspect kept, centred in a size x size square, black around it, as NHWC
 * float32 scaled to [-1, 1] (BlazeFace's input normalisation: v / 127.5 - 1).
 */
export function letterboxToTensor(
  image: RgbImage,
  size: number,
  out = new Float32Array(size * size * 3),
): { tensor: Float32Array; letterbox: Letterbox } {
  assertRgbImage(image);
  const { width, height, rgb } = image;
  const scale = size / Math.max(width, height);
  const contentW = Math.max(1, Math.round(width * scale));
  const contentH = Math.max(1, Math.round(height * scale));
  const offsetX = Math.floor((size - contentW) / 2);
  const offsetY = Math.floor((size - contentH) / 2);
  out.fill(-1);
  const { x0s, x1s, wxs, y0s, y1s, wys } = samplingTables(width, height, contentW, contentH);
  for (let v = 0; v < contentH; v++) {
    const rowA = y0s[v] * width * 3;
    const rowC = y1s[v] * width * 3;
    const wy = wys[v];
    let o = ((v + offsetY) * size + offsetX) * 3;
    for (let u = 0; u < contentW; u++, o += 3) {
      const wx = wxs[u];
      const a = rowA + x0s[u];
      const b = rowA + x1s[u];
      const c = rowC + x0s[u];
      const d = rowC + x1s[u];
      for (let ch = 0; ch < 3; ch++) {
        const top = rgb[a + ch] + (rgb[b + ch] - rgb[a + ch]) * wx;
        const bottom = rgb[c + ch] + (rgb[d + ch] - rgb[c + ch]) * wx;
        out[o + ch] = (top + (bottom - top) * wy) / 127.5 - 1;
      }
    }
  }
  return { tensor: out, letterbox: { scaleX: contentW / width, scaleY: contentH / height, offsetX, offsetY } };
}

// Source pixels and weights of each output column and row: a video's frames all have one
// size, so they are worked out once per size instead of per pixel per frame.
interface SamplingTables {
  key: string;
  /** Byte offsets (x * 3) of the left and right source pixels, and the right one's weight. */
  x0s: Int32Array;
  x1s: Int32Array;
  wxs: Float64Array;
  y0s: Int32Array;
  y1s: Int32Array;
  wys: Float64Array;
}

let lastTables: SamplingTables | null = null;

function samplingTables(width: number, height: number, contentW: number, contentH: number): SamplingTables {
  const key = `${width}x${height}>${contentW}x${contentH}`;
  if (lastTables?.key === key) return lastTables;
  const axis = (from: number, to: number, bytes: number) => {
    const lo = new Int32Array(to);
    const hi = new Int32Array(to);
    const w = new Float64Array(to);
    const step = from / to;
    for (let i = 0; i < to; i++) {
      const f = clamp((i + 0.5) * step - 0.5, 0, from - 1);
      const i0 = Math.floor(f);
      lo[i] = i0 * bytes;
      hi[i] = Math.min(i0 + 1, from - 1) * bytes;
      w[i] = f - i0;
    }
    return { lo, hi, w };
  };
  const x = axis(width, contentW, 3);
  const y = axis(height, contentH, 1);
  lastTables = { key, x0s: x.lo, x1s: x.hi, wxs: x.w, y0s: y.lo, y1s: y.hi, wys: y.w };
  return lastTables;
}

/** Map a box from model-input pixels back to frame pixels. */
export function unletterboxBox(box: PixelBox, letterbox: Letterbox): PixelBox {
  const { scaleX, scaleY, offsetX, offsetY } = letterbox;
  return { x: (box.x - offsetX) / scaleX, y: (box.y - offsetY) / scaleY, width: box.width / scaleX, height: box.height / scaleY };
}

/** Grey weights of the expression net's training pipeline (ITU-R BT.601, as in MATLAB rgb2gray). */
export const GREY_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

/**
 * Cut `box` (frame pixels, may reach past the edges: edge pixels are repeated) and resample
 * it bilinearly to size x size grey, scaled to [-1, 1] ((v / 255 - 0.5) * 2), as the
 * mini-Xception net was trained (oarriaga preprocess_input v2).
 */
export function cropToGreyTensor(image: RgbImage, box: PixelBox, size: number, out = new Float32Array(size * size)): Float32Array {
  assertRgbImage(image);
  const { width, height, rgb } = image;
  const [wr, wg, wb] = GREY_WEIGHTS;
  const sx = box.width / size;
  const sy = box.height / size;
  for (let v = 0; v < size; v++) {
    const fy = clamp(box.y + (v + 0.5) * sy - 0.5, 0, height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, height - 1);
    const wy = fy - y0;
    for (let u = 0; u < size; u++) {
      const fx = clamp(box.x + (u + 0.5) * sx - 0.5, 0, width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, width - 1);
      const wx = fx - x0;
      const a = (y0 * width + x0) * 3;
      const b = (y0 * width + x1) * 3;
      const c = (y1 * width + x0) * 3;
      const d = (y1 * width + x1) * 3;
      let grey = 0;
      for (let ch = 0; ch < 3; ch++) {
        const top = rgb[a + ch] + (rgb[b + ch] - rgb[a + ch]) * wx;
        const bottom = rgb[c + ch] + (rgb[d + ch] - rgb[c + ch]) * wx;
        grey += (top + (bottom - top) * wy) * (ch === 0 ? wr : ch === 1 ? wg : wb);
      }
      out[v * size + u] = (grey / 255 - 0.5) * 2;
    }
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
