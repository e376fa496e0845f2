// Detect-and-track over a video's sampled frames: BlazeFace runs on every `detectEvery`-th
// frame (a keyframe) and the main face is followed between keyframes by its motion (see
// ./face-motion); the expression net still reads every frame. BlazeFace is ~80 % of the
// face nets' time, so this is what makes long videos affordable (`sentiscope bench`).
//
// [Note: detect and track]
// - Frames come in time order. A run of frames starts at the first frame and after any gap
//   longer than 1.5 frame intervals (frames the caller skipped, e.g. between segments). The
//   first frame of a run is a keyframe, then every detectEvery-th frame, and the last
//   frame of a run (flush) is one too.
// - Between two keyframes a and b that both have a main face: the box of a is shifted
//   frame by frame by faceShift. If it lands on b's detection (IoU >= minIou), each frame
//   between keeps its followed centre plus the share (i - a) / (b - a) of the miss at b, a
//   size and score interpolated linearly from a to b, clipped to the frame.
// - Otherwise (the box does not land, or a face appears or leaves): the middle frame is
//   detected and both halves are done the same way, down to neighbouring frames, so a
//   change of presence is found to the frame. Between two faceless keyframes the frames
//   are faceless.
// - detectEvery = 1 is detection on every frame; a still image is one frame (a keyframe).

import { type ExpressionClassifier, mainFace } from './expression';
import { type FaceDetector, iou } from './face-detector';
import { type GreyThumbnail, faceShift, greyThumbnail } from './face-motion';
import type { PixelBox, RgbImage } from './image-ops';

/** A sampled frame as sampleFrames yields it. */
export type TimedFrame = RgbImage & { time?: number };

export interface TrackedFrame {
  time: number;
  width: number;
  height: number;
  /** Main face in frame pixels, or null. */
  face: { box: PixelBox; score: number } | null;
  /** Faces found by the detector (the nearer keyframe's count for a tracked frame). */
  faces: number;
  /** Expression probabilities of the main face; null without a face. */
  emotions: Float32Array | null;
  /** True when BlazeFace ran on this frame, false when its box was interpolated. */
  detected: boolean;
}

interface Slot {
  face: { box: PixelBox; score: number } | null;
  faces: number;
  detected: boolean;
}

export interface FaceTrackOptions {
  detectEvery: number;
  /** A tracked box must overlap the next keyframe's detection this much (IoU) to stand. */
  minIou: number;
  /** Thumbnail block size and search radius (thumbnail pixels) of the motion search. */
  thumbnailScale: number;
  searchRadius: number;
  fps: number;
}

export class FaceTrack {
  private pending: TimedFrame[] = [];
  /** The last keyframe of the run and what was found on it. */
  private previous: { frame: TimedFrame; slot: Slot } | null = null;
  private lastTime = -Infinity;
  private readonly thumbnails = new WeakMap<TimedFrame, GreyThumbnail>();

  constructor(
    private readonly detector: FaceDetector,
    private readonly expression: ExpressionClassifier,
    private readonly options: FaceTrackOptions,
  ) {
    if (!(Number.isInteger(options.detectEvery) && options.detectEvery >= 1)) {
      throw new RangeError(`face tracking: detectEvery must be a whole number >= 1 (got ${options.detectEvery})`);
    }
  }

  /** Adds the next frame; returns the frames whose features are now known, in time order. */
  async push(frame: TimedFrame): Promise<TrackedFrame[]> {
    const time = frame.time ?? 0;
    const out: TrackedFrame[] = [];
    if (time - this.lastTime > 1.5 / this.options.fps) {
      out.push(...(await this.flush()));
      this.previous = null;
    }
    this.lastTime = time;
    this.pending.push(frame);
    if (this.previous === null || this.pending.length >= this.options.detectEvery) out.push(...(await this.resolve()));
    return out;
  }

  /** Ends the run: the last frame held becomes a keyframe; returns the frames held. */
  async flush(): Promise<TrackedFrame[]> {
    return this.pending.length ? this.resolve() : [];
  }

  /** Detects the last pending frame, fills in the frames before it, reads every face. */
  private async resolve(): Promise<TrackedFrame[]> {
    const pending = this.pending;
    this.pending = [];
    const key = pending[pending.length - 1];
    const next = await this.detect(key);
    const prev = this.previous;
    this.previous = { frame: key, slot: next };
    // window[0] is the previous keyframe (already given out); slots line up with window.
    const window = prev ? [prev.frame, ...pending] : pending;
    const slots: (Slot | null)[] = new Array(window.length).fill(null);
    slots[window.length - 1] = next;
    if (prev) {
      slots[0] = prev.slot;
      await this.fill(window, slots, 0, window.length - 1);
    }

    const out: TrackedFrame[] = [];
    for (let i = prev ? 1 : 0; i < window.length; i++) {
      const frame = window[i];
      const { face, faces, detected } = slots[i]!;
      const emotions = face ? (await this.expression.classify(frame, face.box)).probabilities : null;
      out.push({ time: frame.time ?? 0, width: frame.width, height: frame.height, face, faces: face ? faces : 0, emotions, detected });
    }
    return out;
  }

  /**
   * Fills the slots strictly between the known slots a and b: follow the face from a by
   * its motion and, when that lands on b's detection, spread the difference over the frames
   * between; otherwise detect the middle frame and do both halves.
   */
  private async fill(frames: TimedFrame[], slots: (Slot | null)[], a: number, b: number): Promise<void> {
    if (b - a < 2) return;
    const from = slots[a]!;
    const to = slots[b]!;
    if (!from.face && !to.face) {
      for (let i = a + 1; i < b; i++) slots[i] = { face: null, faces: 0, detected: false };
      return;
    }
    if (from.face && to.face) {
      const tracked: PixelBox[] = [];
      let box = from.face.box;
      for (let i = a + 1; i <= b; i++) {
        const { dx, dy } = faceShift(this.thumbnail(frames[i - 1]), this.thumbnail(frames[i]), box, this.options.searchRadius);
        box = { ...box, x: box.x + dx, y: box.y + dy };
        tracked.push(box);
      }
      const landed = tracked[tracked.length - 1];
      if (iou(landed, to.face.box) >= this.options.minIou) {
        const target = to.face.box;
        const missX = target.x + target.width / 2 - (landed.x + landed.width / 2);
        const missY = target.y + target.height / 2 - (landed.y + landed.height / 2);
        for (let i = a + 1; i < b; i++) {
          const t = (i - a) / (b - a);
          const at = tracked[i - a - 1];
          const width = from.face.box.width + (target.width - from.face.box.width) * t;
          const height = from.face.box.height + (target.height - from.face.box.height) * t;
          const cx = at.x + at.width / 2 + missX * t;
          const cy = at.y + at.height / 2 + missY * t;
          slots[i] = {
            face: {
              box: clipBox({ x: cx - width / 2, y: cy - height / 2, width, height }, frames[i]),
              score: from.face.score + (to.face.score - from.face.score) * t,
            },
            faces: t < 0.5 ? from.faces : to.faces,
            detected: false,
          };
        }
        return;
      }
    }
    // A face appears, leaves, jumps or changes: detect the middle frame and look closer.
    const mid = (a + b) >> 1;
    slots[mid] = await this.detect(frames[mid]);
    await this.fill(frames, slots, a, mid);
    await this.fill(frames, slots, mid, b);
  }

  private thumbnail(frame: TimedFrame): GreyThumbnail {
    let t = this.thumbnails.get(frame);
    if (!t) {
      t = greyThumbnail(frame, this.options.thumbnailScale);
      this.thumbnails.set(frame, t);
    }
    return t;
  }

  private async detect(frame: TimedFrame): Promise<Slot> {
    const faces = await this.detector.detect(frame);
    const face = mainFace(faces);
    return { face: face && { box: face.box, score: face.score }, faces: faces.length, detected: true };
  }
}

/** As the detector gives boxes: clipped to the frame. */
function clipBox(box: PixelBox, frame: { width: number; height: number }): PixelBox {
  const x0 = Math.max(0, box.x);
  const y0 = Math.max(0, box.y);
  const x1 = Math.min(frame.width, box.x + box.width);
  const y1 = Math.min(frame.height, box.y + box.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}
