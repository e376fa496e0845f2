// probeMedia: duration and streams of a media file, with every failure turned into a
// one-line SentiscopeError that names the file and says what to do.
// Uses ffprobe when there is one, else ffmpeg's banner ([Note: tool resolution order]).

import type { AudioStreamInfo, ProbeInfo, VideoStreamInfo } from '../../shared/domain';
import { sniffContainer } from './container-sniff';
import { decodableCodecs } from './decodable-codecs';
import { corruptMediaError, noAudioError, noVideoError, notMediaError, toolFailureError, unsupportedCodecError } from './media-errors';
import { openMediaFile } from './media-file';
import { resolveMediaTools } from './media-tools';
import { probeWithFfmpeg } from './probe-ffmpeg';
import { probeWithFfprobe } from './probe-ffprobe';
import type { RawProbe, RawStream } from './probe-raw';

/** ProbeInfo plus what decoders need to know to size frames. */
export interface MediaProbe {
  /** Absolute path of the probed file. */
  path: string;
  info: ProbeInfo;
  /** A single picture (png, jpg, ...): one frame, duration 0. */
  still: boolean;
  /** Size of decoded frames as displayed: rotation and non-square pixels applied. */
  displayWidth: number;
  displayHeight: number;
}

// Demuxers that mean "a picture file", and codecs that are pictures when no duration is known.
const IMAGE_FORMAT = /(_pipe|^image2)$/;
const IMAGE_CODECS = new Set(['png', 'mjpeg', 'bmp', 'webp', 'tiff', 'jpeg2000', 'gif', 'jpegls']);
// ffmpeg demuxers that accept almost any bytes: a match on them is not evidence of media.
const CATCH_ALL_FORMATS = new Set(['tty', 'txt', 'data']);

/** Probe a file: `sentiscope probe FILE` prints the result. */
export async function probeMedia(path: string): Promise<ProbeInfo> {
  return (await probeMediaDetailed(path)).info;
}

export async function probeMediaDetailed(path: string): Promise<MediaProbe> {
  const file = await openMediaFile(path);
  if (file.size === 0) throw corruptMediaError(file.path, 'the file is empty, 0 bytes');
  const sniff = await sniffContainer(file.path, file.size);

  const tools = resolveMediaTools();
  const attempt = tools.ffprobe
    ? await probeWithFfprobe(tools.ffprobe.path, file.path)
    : await probeWithFfmpeg(tools.ffmpeg.path, file.path);
  if (!attempt.ok) throw toolFailureError(file.path, attempt.stderr, sniff.container);
  const raw = attempt.probe;

  if (sniff.truncated) {
    const { declaredBytes, actualBytes } = sniff.truncated;
    throw corruptMediaError(file.path, `cut short: ${actualBytes} of ${declaredBytes} bytes`);
  }
  if (!sniff.container && CATCH_ALL_FORMATS.has(raw.formatName)) throw notMediaError(file.path, null);

  const videoStream = raw.streams.find((s) => s.type === 'video' && !s.attachedPic) ?? null;
  const audioStream = raw.streams.find((s) => s.type === 'audio') ?? null;
  if (!videoStream && !audioStream) {
    throw notMediaError(file.path, 'it has no audio or video stream');
  }
  const decodable = await decodableCodecs(tools.ffmpeg.path);
  for (const stream of [videoStream, audioStream]) {
    if (stream && (!stream.codec || !decodable.has(stream.codec))) {
      throw unsupportedCodecError(file.path, stream.type, describeCodec(stream));
    }
  }
  return toMediaProbe(file.path, raw, videoStream, audioStream);
}

function describeCodec(stream: RawStream): string {
  if (stream.codec) return stream.codec;
  return stream.codecTag ? `unknown codec, tag "${stream.codecTag}"` : 'unknown codec';
}

function toMediaProbe(path: string, raw: RawProbe, v: RawStream | null, a: RawStream | null): MediaProbe {
  const still =
    v !== null && a === null && (IMAGE_FORMAT.test(raw.formatName) || (raw.duration === null && IMAGE_CODECS.has(v.codec ?? '')));
  const video: VideoStreamInfo | null = v && {
    width: v.width,
    height: v.height,
    // A still image has no frame rate; 0 says so instead of the demuxer's placeholder 25.
    fps: still ? 0 : round(v.fps ?? 0, 6),
    codec: v.codec ?? 'unknown',
  };
  const audio: AudioStreamInfo | null = a && {
    sampleRate: a.sampleRate,
    channels: a.channels,
    codec: a.codec ?? 'unknown',
  };
  const quarterTurn = Math.abs(Math.round((v?.rotation ?? 0) / 90)) % 2 === 1;
  const shownWidth = v ? v.width * (v.sar > 0 ? v.sar : 1) : 0;
  const shownHeight = v ? v.height : 0;
  return {
    path,
    info: { duration: still ? 0 : round(raw.duration ?? 0, 6), video, audio },
    still,
    displayWidth: quarterTurn ? shownHeight : shownWidth,
    displayHeight: quarterTurn ? shownWidth : shownHeight,
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** For callers that need sound (audio decode, peaks, acoustic features). */
export function assertHasAudio(info: ProbeInfo, file: string): asserts info is ProbeInfo & { audio: AudioStreamInfo } {
  if (!info.audio) throw noAudioError(file);
}

/** For callers that need pictures (frame sampling, face features). */
export function assertHasVideo(info: ProbeInfo, file: string): asserts info is ProbeInfo & { video: VideoStreamInfo } {
  if (!info.video) throw noVideoError(file);
}
