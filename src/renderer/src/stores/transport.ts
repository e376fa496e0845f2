// Playback state shared by the player and the keymap: the playhead time, speed, zoom, loop, whether the
// spectrogram shows (kept across sessions), and the player's controls (registered by the Player component while a media item is shown).

import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';

export interface PlayerControls {
  playPause(): void;
  seek(time: number): void;
  currentTime(): number;
}

export const SPEEDS = [0.5, 0.75, 1, 1.25, 1.5, 2] as const;
export const ZOOM_MIN = 0; // 0 px/s: fit the whole media into the view
export const ZOOM_MAX = 500;
const SPECTROGRAM_KEY = 'sentiscope.spectrogram';

export const useTransport = defineStore('transport', () => {
  /** The playhead, in seconds of the selected media item (the player writes it as it plays). */
  const currentTime = ref(0);
  const rate = ref(1);
  const zoom = ref(ZOOM_MIN);
  const loop = ref(false);
  const spectrogram = ref(globalThis.localStorage?.getItem(SPECTROGRAM_KEY) !== 'off');
  const playingNow = ref(false);
  const controls = shallowRef<PlayerControls | null>(null);

  function stepRate(direction: 1 | -1): void {
    const i = SPEEDS.indexOf(rate.value as (typeof SPEEDS)[number]);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (i < 0 ? 2 : i) + direction))];
    rate.value = next;
  }
  function stepZoom(direction: 1 | -1): void {
    const base = zoom.value <= 0 ? 10 : zoom.value;
    const next = direction > 0 ? base * 1.6 : base / 1.6;
    zoom.value = next < 10 ? ZOOM_MIN : Math.min(ZOOM_MAX, Math.round(next));
  }
  function seekBy(delta: number): void {
    const c = controls.value;
    if (c) c.seek(Math.max(0, c.currentTime() + delta));
  }

  function toggleSpectrogram(): void {
    spectrogram.value = !spectrogram.value;
    globalThis.localStorage?.setItem(SPECTROGRAM_KEY, spectrogram.value ? 'on' : 'off');
  }

  return { currentTime, rate, zoom, loop, spectrogram, playingNow, controls, stepRate, stepZoom, seekBy, toggleSpectrogram };
});
