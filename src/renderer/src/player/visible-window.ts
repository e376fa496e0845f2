// The time range the waveform shows now, from wavesurfer's scroll position and zoom.
// Regions and the spectrogram draw only this window (plus a margin), so a 1-hour file
// costs what its visible part costs.

import type WaveSurfer from 'wavesurfer.js';

export interface TimeWindow {
  start: number;
  end: number;
}

export function visibleWindow(surfer: WaveSurfer): TimeWindow | null {
  const duration = surfer.getDuration();
  if (!(duration > 0)) return null;
  const total = surfer.getWrapper().scrollWidth;
  const width = surfer.getWidth();
  if (!(total > 0) || !(width > 0)) return { start: 0, end: duration };
  const scroll = surfer.getScroll();
  return {
    start: Math.max(0, (scroll / total) * duration),
    end: Math.min(duration, ((scroll + width) / total) * duration),
  };
}

/** The window grown by `fraction` of its length on each side (clamped to the media). */
export function withMargin(window: TimeWindow, fraction: number, duration: number): TimeWindow {
  const pad = (window.end - window.start) * fraction;
  return { start: Math.max(0, window.start - pad), end: Math.min(duration, window.end + pad) };
}
