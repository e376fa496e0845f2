// Probing through ffprobe's JSON output (the preferred path when an ffprobe binary exists).

import { emptyStream, parseRatio, type RawProbe, type RawStream } from './probe-raw';
import { runTool } from './tool-process';

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  sample_aspect_ratio?: string;
  sample_rate?: string;
  channels?: number;
  disposition?: { attached_pic?: number };
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number }>;
}

interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

export type ProbeAttempt = { ok: true; probe: RawProbe } | { ok: false; stderr: string };

export async function probeWithFfprobe(ffprobePath: string, file: string): Promise<ProbeAttempt> {
  const result = await runTool(ffprobePath, ['-v', 'error', '-print_format', 'json', '-show_streams', '-show_format', file]);
  let parsed: FfprobeOutput = {};
  try {
    parsed = JSON.parse(result.stdout) as FfprobeOutput;
  } catch {
    // fall through: reported as a failure with ffprobe's stderr
  }
  if (result.code !== 0 || !parsed.format) {
    return { ok: false, stderr: result.timedOut ? 'ffprobe timed out' : result.stderr };
  }
  return { ok: true, probe: fromFfprobeJson(parsed) };
}

export function fromFfprobeJson(out: FfprobeOutput): RawProbe {
  const streams: RawStream[] = [];
  for (const s of out.streams ?? []) {
    if (s.codec_type !== 'video' && s.codec_type !== 'audio') continue;
    const stream = emptyStream(s.codec_type);
    stream.codec = s.codec_name && s.codec_name !== 'none' ? s.codec_name : null;
    stream.codecTag = s.codec_tag_string && !s.codec_tag_string.startsWith('[') ? s.codec_tag_string : null;
    if (s.codec_type === 'video') {
      stream.width = s.width ?? 0;
      stream.height = s.height ?? 0;
      stream.fps = parseRatio(s.avg_frame_rate) ?? parseRatio(s.r_frame_rate);
      stream.sar = parseRatio(s.sample_aspect_ratio, ':') ?? 1;
      const sideRotation = s.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation;
      const tagRotation = Number(s.tags?.rotate ?? 0);
      stream.rotation = sideRotation ?? (Number.isFinite(tagRotation) ? tagRotation : 0);
      stream.attachedPic = s.disposition?.attached_pic === 1;
    } else {
      stream.sampleRate = Number(s.sample_rate ?? 0);
      stream.channels = s.channels ?? 0;
    }
    streams.push(stream);
  }
  const duration = Number(out.format?.duration);
  return {
    formatName: out.format?.format_name ?? '',
    duration: Number.isFinite(duration) && duration >= 0 ? duration : null,
    streams,
  };
}
