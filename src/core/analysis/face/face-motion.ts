// Face motion between two consecutive sampled frames, for detect-and-track (see [Note:
// detect and track] in ./face-track). Both frames become grey thumbnails (mean of each
// `scale` x `scale` block) and half-size copies of them; the face box's patch of the first
// frame is searched for in the second by the least sum of absolute differences: within
// +-ceil(radius / 2) on the half-size copies, then +-1 around that on the thumbnails, then
// to a fraction of a pixel by a parabola through the neighbouring sums. About 0.2 ms a
// frame against 8 ms for a BlazeFace run.

import { GREY_WEIGHTS, type PixelBox, type RgbImage } from './image-ops';

export interface GreyLevel {
  width: number;
  height: number;
  grey: Float32Array;
}

export interface GreyThumbnail extends GreyLevel {
  /** Frame pixels per thumbnail pixel. */
  scale: number;
  /** 2x2 block means of the thumbnail (odd edges: the pixels that exist). */
  half: GreyLevel;
}

/** Mean grey of each scale x scale block (edge blocks: the pixels that exist), and its half. */
export function greyThumbnail(image: RgbImage, scale: number): GreyThumbnail {
  const { width, height, rgb } = image;
  const [wr, wg, wb] = GREY_WEIGHTS;
  const tw = Math.ceil(width / scale);
  const th = Math.ceil(height / scale);
  const grey = new Float32Array(tw * th);
  for (let y = 0, p = 0; y < height; y++) {
    const row = ((y / scale) | 0) * tw;
    for (let x = 0, t = row; x < width; t++) {
      const end = Math.min(width, x + scale);
      let sum = 0;
      for (; x < end; x++, p += 3) sum += wr * rgb[p] + wg * rgb[p + 1] + wb * rgb[p + 2];
      grey[t] += sum;
    }
  }
  for (let ty = 0; ty < th; ty++) {
    const h = Math.min(height, (ty + 1) * scale) - ty * scale;
    for (let tx = 0; tx < tw; tx++) grey[ty * tw + tx] /= h * (Math.min(width, (tx + 1) * scale) - tx * scale);
  }
  const level = { width: tw, height: th, grey };
  return { ...level, scale, half: blockMeans(level, 2) };
}

function blockMeans(source: GreyLevel, block: number): GreyLevel {
  const { width, height } = source;
  const tw = Math.ceil(width / block);
  const th = Math.ceil(height / block);
  const grey = new Float32Array(tw * th);
  const rows = new Float32Array(tw);
  for (let ty = 0; ty < th; ty++) {
    rows.fill(0);
    const y1 = Math.min(height, (ty + 1) * block);
    for (let y = ty * block; y < y1; y++) {
      const row = y * width;
      for (let x = 0; x < width; x++) rows[(x / block) | 0] += source.grey[row + x];
    }
    const h = y1 - ty * block;
    for (let tx = 0; tx < tw; tx++) grey[ty * tw + tx] = rows[tx] / (h * (Math.min(width, (tx + 1) * block) - tx * block));
  }
  return { width: tw, height: th, grey };
}

/** Whole level pixels inside `box` (given in level pixels) and inside the level. */
function patchOf(level: GreyLevel, x: number, y: number, w: number, h: number) {
  return {
    x0: Math.max(0, Math.ceil(x)),
    y0: Math.max(0, Math.ceil(y)),
    x1: Math.min(level.width, Math.floor(x + w)),
    y1: Math.min(level.height, Math.floor(y + h)),
  };
}

/** Sum of absolute differences of `from`'s patch against `to` shifted by (dx, dy); Infinity when it leaves `to`. */
function sad(from: GreyLevel, to: GreyLevel, p: ReturnType<typeof patchOf>, dx: number, dy: number): number {
  if (p.x0 + dx < 0 || p.y0 + dy < 0 || p.x1 + dx > to.width || p.y1 + dy > to.height) return Infinity;
  let sum = 0;
  for (let y = p.y0; y < p.y1; y++) {
    let a = y * from.width + p.x0;
    let b = (y + dy) * to.width + p.x0 + dx;
    for (let x = p.x0; x < p.x1; x++, a++, b++) {
      const d = from.grey[a] - to.grey[b];
      sum += d < 0 ? -d : d;
    }
  }
  return sum;
}

/** The shift with the least SAD among (cx + i, cy + j), |i|, |j| <= r; ties go to the first scanned. */
function bestShift(
  from: GreyLevel,
  to: GreyLevel,
  p: ReturnType<typeof patchOf>,
  cx: number,
  cy: number,
  r: number,
  cost: Map<number, number>,
) {
  let best = { dx: cx, dy: cy, cost: Infinity };
  for (let dy = cy - r; dy <= cy + r; dy++) {
    for (let dx = cx - r; dx <= cx + r; dx++) {
      const c = sad(from, to, p, dx, dy);
      cost.set(key(dx, dy), c);
      if (c < best.cost) best = { dx, dy, cost: c };
    }
  }
  return best;
}

const key = (dx: number, dy: number) => (dy + 1024) * 2048 + dx + 1024;

/**
 * Where the face in `box` (frame pixels, in `from`) has moved to in `to`: the shift in frame
 * pixels. {0, 0} when the box holds fewer than 3x3 whole pixels of the half-size level.
 */
export function faceShift(from: GreyThumbnail, to: GreyThumbnail, box: PixelBox, radius: number): { dx: number; dy: number } {
  if (radius <= 0) return { dx: 0, dy: 0 };
  const s = from.scale;
  const coarse = patchOf(from.half, box.x / (2 * s), box.y / (2 * s), box.width / (2 * s), box.height / (2 * s));
  if (coarse.x1 - coarse.x0 < 3 || coarse.y1 - coarse.y0 < 3) return { dx: 0, dy: 0 };
  const c = bestShift(from.half, to.half, coarse, 0, 0, Math.ceil(radius / 2), new Map());
  if (!Number.isFinite(c.cost)) return { dx: 0, dy: 0 };
  const fine = patchOf(from, box.x / s, box.y / s, box.width / s, box.height / s);
  const cost = new Map<number, number>();
  const f = bestShift(from, to, fine, 2 * c.dx, 2 * c.dy, 1, cost);
  if (!Number.isFinite(f.cost)) return { dx: 2 * c.dx * s, dy: 2 * c.dy * s };
  const at = (dx: number, dy: number) => cost.get(key(dx, dy)) ?? sad(from, to, fine, dx, dy);
  const sub = (l: number, m: number, r: number) => {
    const den = l - 2 * m + r;
    return Number.isFinite(l) && Number.isFinite(r) && den > 0 ? Math.max(-0.5, Math.min(0.5, (l - r) / (2 * den))) : 0;
  };
  const fx = f.dx + sub(at(f.dx - 1, f.dy), f.cost, at(f.dx + 1, f.dy));
  const fy = f.dy + sub(at(f.dx, f.dy - 1), f.cost, at(f.dx, f.dy + 1));
  return { dx: fx * s, dy: fy * s };
}
