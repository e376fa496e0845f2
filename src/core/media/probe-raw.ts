// What either probe path (ffprobe JSON or ffmpeg's banner) extracts from a file, before
// probe.ts turns it into the ProbeInfo the rest of the app sees.

export interface RawStream {
  type: 'video' | 'audio';
  /** null when the tool does not know the codec ("none" / missing codec_name). */
  codec: string | null;
  /** The container's codec tag ("avc1"), to name an unknown codec. */
  codecTag: string | null;
  width: number;
  height: number;
  fps: number | null;
  /** Sample aspect ratio as width/height of one pixel (1 for square pixels). */
  sar: number;
  /** Display rotation in degrees (phones); ffmpeg applies it when decoding. */
  rotation: number;
  /** Cover art in an audio file: a picture, not the media's video. */
  attachedPic: boolean;
  sampleRate: number;
  channels: number;
}

export interface RawProbe {
  formatName: string;
  /** Seconds; null when the container does not say (still images, raw streams). */
  duration: number | null;
  streams: RawStream[];
}

export function emptyStream(type: RawStream['type']): RawStream {
  return {
    type,
    codec: null,
    codecTag: null,
    width: 0,
    height: 0,
    fps: null,
    sar: 1,
    rotation: 0,
    attachedPic: false,
    sampleRate: 0,
    channels: 0,
  };
}

/** "30000/1001" -> 29.97..., "0/0" or junk -> null. */
export function parseRatio(text: string | undefined, separator = '/'): number | null {
  if (!text) return null;
  const [num, den] = text.split(separator).map(Number);
  if (den === undefined) return Number.isFinite(num) && num > 0 ? num : null;
  return Number.isFinite(num) && Number.isFinite(den) && num > 0 && den > 0 ? num / den : null;
}

/** ffmpeg prints NTSC rates rounded ("29.97"); recover the exact k*1000/1001 rate. */
export function exactFrameRate(fps: number): number {
  const k = Math.round(fps * 1.001);
  const ntsc = (k * 1000) / 1001;
  return Math.abs(fps - ntsc) < 0.006 && Math.abs(fps - Math.round(fps)) > 0.006 ? ntsc : fps;
}
