// Which codecs a given ffmpeg binary can decode, read once from `ffmpeg -codecs`.
// Why: ffprobe (or ffmpeg's demuxer) may name a codec that the ffmpeg we decode with has
// no decoder for; the user should hear "unsupported codec" at probe time, not mid-analysis.

import { runTool } from './tool-process';

const byTool = new Map<string, Promise<Set<string>>>();

export function decodableCodecs(ffmpegPath: string): Promise<Set<string>> {
  let codecs = byTool.get(ffmpegPath);
  if (!codecs) {
    codecs = runTool(ffmpegPath, ['-hide_banner', '-codecs']).then((r) => parseCodecList(r.stdout));
    byTool.set(ffmpegPath, codecs);
  }
  return codecs;
}

/** Lines look like " DEV.LS h264   H.264 / AVC ...": flags, then the codec name. */
export function parseCodecList(text: string): Set<string> {
  const codecs = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s([D.])[E.][VASDT.][I.][L.][S.]\s+(\S+)/.exec(line);
    if (m && m[1] === 'D' && m[2] !== '=') codecs.add(m[2]);
  }
  return codecs;
}
