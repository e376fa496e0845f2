// Where the spectrogram's numbers come from: 'media:spectrogram' windows computed in the
// core, unpacked once and kept in a small cache, so scrolling back and forth or zooming
// within a window asks the core nothing. A request covers the view plus half a view on
// each side (at most MAX_SPECTROGRAM_SECONDS), on a 0.1 s grid so nearby views share it.

import type { ContractClient } from '../../../shared/contract';
import { unpackFloat32 } from '../util/packed-floats';
import type { TimeWindow } from './visible-window';

/** The longest view the spectrogram draws; the core caps a window at the same length. */
export const MAX_SPECTROGRAM_SECONDS = 60;
const CACHED_WINDOWS = 6;

export interface SpectrogramData {
  mediaId: number;
  start: number;
  end: number;
  framesPerSecond: number;
  firstFrameCenter: number;
  frames: number;
  bins: number;
  /** frames x bins natural-log mel energies, frame-major. */
  values: Float32Array;
  /** The loudest value in the window (the top of the colour scale). */
  max: number;
}

export class SpectrogramSource {
  private cache: SpectrogramData[] = [];
  private pending = new Map<string, Promise<SpectrogramData>>();

  constructor(private readonly api: ContractClient) {}

  /** A cached window that covers `view` of media `mediaId`, if any (most recent first). */
  covering(mediaId: number, view: TimeWindow, duration: number): SpectrogramData | null {
    const end = Math.min(view.end, duration);
    return this.cache.find((d) => d.mediaId === mediaId && d.start <= view.start + 1e-6 && d.end >= end - 1e-6) ?? null;
  }

  /** The cached window with the largest overlap with `view`, to draw while a better one loads. */
  overlapping(mediaId: number, view: TimeWindow): SpectrogramData | null {
    let best: SpectrogramData | null = null;
    let bestOverlap = 0;
    for (const d of this.cache) {
      if (d.mediaId !== mediaId) continue;
      const overlap = Math.min(d.end, view.end) - Math.max(d.start, view.start);
      if (overlap > bestOverlap) {
        best = d;
        bestOverlap = overlap;
      }
    }
    return best;
  }

  /** Loads the window to request for `view` (see the file comment). */
  load(mediaId: number, view: TimeWindow, duration: number): Promise<SpectrogramData> {
    const length = view.end - view.start;
    const pad = Math.max(0, Math.min(length / 2, (MAX_SPECTROGRAM_SECONDS - length) / 2));
    let start = Math.max(0, Math.floor((view.start - pad) * 10) / 10);
    let end = Math.min(duration, Math.ceil((view.end + pad) * 10) / 10);
    if (end - start > MAX_SPECTROGRAM_SECONDS) {
      // The grid made it too long: the view itself, from its start.
      start = Math.max(0, view.start);
      end = Math.min(duration, start + MAX_SPECTROGRAM_SECONDS);
    }
    const key = `${mediaId}:${start}:${end}`;
    let request = this.pending.get(key);
    if (!request) {
      request = this.fetch(mediaId, start, end).finally(() => this.pending.delete(key));
      this.pending.set(key, request);
    }
    return request;
  }

  private async fetch(mediaId: number, start: number, end: number): Promise<SpectrogramData> {
    const window = await this.api.invoke('media:spectrogram', { mediaId, start, end });
    const values = unpackFloat32(window.data, window.frames * window.bins);
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
    const data: SpectrogramData = {
      mediaId,
      start: window.start,
      // Asked-for end, not the decoded one: a file that ends early has no more to ask for.
      end,
      framesPerSecond: window.framesPerSecond,
      firstFrameCenter: window.firstFrameCenter,
      frames: window.frames,
      bins: window.bins,
      values,
      max,
    };
    this.cache = [data, ...this.cache.filter((d) => !(d.mediaId === mediaId && d.start === data.start && d.end === data.end))].slice(
      0,
      CACHED_WINDOWS,
    );
    return data;
  }

  clear(): void {
    this.cache = [];
  }
}
