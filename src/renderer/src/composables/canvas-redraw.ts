// A canvas that repaints on the next animation frame whenever its size or what it shows
// changes, at the screen's device pixel ratio: the sentiment strip and the trace strip.

import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue';

/** Paints in CSS pixels on a cleared canvas of `width` × `height`. */
export type CanvasPaint = (ctx: CanvasRenderingContext2D, width: number, height: number) => void;

/** Redraws `canvas` with `paint` when it is resized or any of `sources` changes, until unmount. */
export function useCanvasRedraw(canvas: Ref<HTMLCanvasElement | null>, paint: CanvasPaint, sources: WatchSource[]): void {
  let observer: ResizeObserver | null = null;
  let frame = 0;

  function draw(): void {
    const el = canvas.value;
    if (!el) return;
    const width = el.clientWidth;
    const height = el.clientHeight;
    const ratio = window.devicePixelRatio || 1;
    // The bitmap in device pixels keeps lines sharp on high-density screens.
    el.width = Math.max(1, Math.round(width * ratio));
    el.height = Math.max(1, Math.round(height * ratio));
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.scale(ratio, ratio);
    ctx.clearRect(0, 0, width, height);
    paint(ctx, width, height);
  }

  /** Many changes within one frame cost one paint. */
  function schedule(): void {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  }

  watch(sources, schedule);
  // A canvas under v-if comes and goes: observe the one there is now.
  watch(canvas, (el) => {
    observer?.disconnect();
    if (el) observer?.observe(el);
    schedule();
  });
  onMounted(() => {
    observer = new ResizeObserver(schedule);
    if (canvas.value) observer.observe(canvas.value);
    schedule();
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    cancelAnimationFrame(frame);
  });
}
