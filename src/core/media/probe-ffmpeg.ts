// Probing without ffprobe: `ffmpeg -hide_banner -i FILE` prints the input's description on
// stderr (and exits 1 for want of an output). Parsed for exactly what ProbeInfo needs.

import type { ProbeAttempt } from './probe-ffprobe';
import { emptyStream, exactFrameRate, type RawProbe, type RawStream } from './probe-raw';
import { runTool } from './tool-process';

export async function probeWithFfmpeg(ffmpegPath: string, file: string): Promise<ProbeAttempt> {
  const result = await runTool(ffmpegPath, ['-hide_banner', '-nostdin', '-i', file]);
  const probe = parseFfmpegBanner(result.stderr);
  if (result.timedOut || !probe) return { ok: false, stderr: result.timedOut ? 'ffmpeg timed out' : result.stderr };
  return { ok: true, probe };
}

const CHANNEL_LAYOUTS: Record<string, number> = {
  mono: 1,
  stereo: 2,
  downmix: 2,
  '2.1': 3,
  '3.0': 3,
  '3.0(back)': 3,
  '4.0': 4,
  quad: 4,
  'quad(side)': 4,
  '3.1': 4,
  '5.0': 5,
  '5.0(side)': 5,
  '4.1': 5,
  '5.1': 6,
  '5.1(side)': 6,
  '6.0': 6,
  '6.0(front)': 6,
  hexagonal: 6,
  '6.1': 7,
  '6.1(back)': 7,
  '6.1(front)': 7,
  '7.0': 7,
  '7.0(front)': 7,
  '7.1': 8,
  '7.1(wide)': 8,
  '7.1(wide-side)': 8,
  octagonal: 8,
};

/** null when there is no "Input #0" block (the file could not be opened as media). */
export function parseFfmpegBanner(stderr: string): RawProbe | null {
  const lines = stderr.split(/\r?\n/);
  const inputLine = lines.find((l) => /^Input #0, /.test(l));
  if (!inputLine) return null;
  const formatName = /^Input #0, (.+), from '/.exec(inputLine)?.[1] ?? '';

  const d = /Duration: (\d+):(\d+):(\d+(?:\.\d+)?)/.exec(stderr);
  const duration = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : null;

  const streams: RawStream[] = [];
  let current: RawStream | null = null;
  for (const line of lines) {
    const m = /^\s*Stream #0:\d+\S*: (Video|Audio|Subtitle|Data|Attachment): (.*)$/.exec(line);
    if (m) {
      current = m[1] === 'Video' || m[1] === 'Audio' ? parseStreamLine(m[1], m[2]) : null;
      if (current) streams.push(current);
      continue;
    }
    if (!current || current.type !== 'video') continue;
    // Rotation appears below the stream line, in its metadata or side data.
    const rotate = /^\s*rotate\s*:\s*(-?\d+)/.exec(line) ?? /displaymatrix: rotation of (-?[\d.]+) degrees/.exec(line);
    if (rotate) current.rotation = Number(rotate[1]);
  }
  return { formatName, duration, streams };
}

function parseStreamLine(kind: 'Video' | 'Audio', rest: string): RawStream {
  const stream = emptyStream(kind === 'Video' ? 'video' : 'audio');
  const codec = /^(\w+)/.exec(rest)?.[1] ?? 'none';
  stream.codec = codec === 'none' ? null : codec;
  stream.codecTag = /\((\S{4}) \/ 0x[0-9A-Fa-f]+\)/.exec(rest)?.[1] ?? null;
  if (kind === 'Video') {
    const size = /(?:^|[\s,])(\d+)x(\d+)(?=[\s,[]|$)/.exec(rest);
    stream.width = size ? Number(size[1]) : 0;
    stream.height = size ? Number(size[2]) : 0;
    const sar = /SAR (\d+):(\d+)/.exec(rest);
    if (sar && Number(sar[1]) > 0 && Number(sar[2]) > 0) stream.sar = Number(sar[1]) / Number(sar[2]);
    const rate = /([\d.]+)(k?) fps/.exec(rest) ?? /([\d.]+)(k?) tbr/.exec(rest);
    if (rate) stream.fps = exactFrameRate(Number(rate[1]) * (rate[2] ? 1000 : 1));
    stream.attachedPic = rest.includes('(attached pic)');
  } else {
    const hz = /(\d+) Hz/.exec(rest);
    stream.sampleRate = hz ? Number(hz[1]) : 0;
    const fields = rest.split(', ').map((f) => f.trim());
    const layout = fields.find((f) => f in CHANNEL_LAYOUTS);
    const counted = /(\d+) channels/.exec(rest);
    stream.channels = layout ? CHANNEL_LAYOUTS[layout] : counted ? Number(counted[1]) : 0;
  }
  return stream;
}
