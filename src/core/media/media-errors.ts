// The user-facing media errors: one line each, naming the file and saying what to do.
// Tools' stderr is reduced to one short detail so the message stays a single line.

import { SentiscopeError } from '../../shared/errors';

const CONVERT_HINT = 'convert it (e.g. `ffmpeg -i IN -c:v libx264 -c:a aac OUT.mp4`)';

export function notMediaError(file: string, detail: string | null): SentiscopeError {
  return new SentiscopeError(
    'not-media',
    `${file} is not a media file ffmpeg can read${detail ? ` (${detail})` : ''}: ` + 'choose a video, audio or image file',
    file,
  );
}

export function corruptMediaError(file: string, detail: string | null): SentiscopeError {
  return new SentiscopeError(
    'media-corrupt',
    `${file} is truncated or corrupt${detail ? ` (${detail})` : ''}: ` + 'copy or download it again, or re-export it from its source',
    file,
  );
}

export function unsupportedCodecError(file: string, stream: 'video' | 'audio', codec: string): SentiscopeError {
  return new SentiscopeError(
    'unsupported-codec',
    `${file} has a ${stream} stream in a codec this ffmpeg cannot decode (${codec}): ` +
      `${CONVERT_HINT}, or set SENTISCOPE_FFMPEG to a fuller ffmpeg build`,
    file,
  );
}

export function noAudioError(file: string): SentiscopeError {
  return new SentiscopeError(
    'no-audio',
    `${file} has no audio stream: choose a file with sound, or analyse it without the audio modality`,
    file,
  );
}

export function noVideoError(file: string): SentiscopeError {
  return new SentiscopeError(
    'no-video',
    `${file} has no video stream: choose a video or image file, or analyse it without the visual modality`,
    file,
  );
}

/** A short, single-line detail from a tool's stderr, without addresses and the file path. */
export function stderrDetail(stderr: string, file: string): string | null {
  const seen = new Set<string>();
  for (const raw of stderr.split(/\r?\n/)) {
    let line = raw.replace(/^\[[^\]]*@ 0x[0-9a-f]+\]\s*/i, '').trim();
    if (line.startsWith(`${file}: `)) line = line.slice(file.length + 2);
    if (line && !/^(Conversion failed!|At least one output file)|misdetection possible/.test(line)) seen.add(line);
  }
  const detail = [...seen].slice(-3).join('; ');
  if (!detail) return null;
  return detail.length > 200 ? `${detail.slice(0, 197)}...` : detail;
}

/**
 * A failed ffmpeg/ffprobe run on a file we know exists and is readable.
 * `knownContainer` (from container-sniff.ts) separates damaged media from non-media.
 */
export function toolFailureError(file: string, stderr: string, knownContainer: string | null): SentiscopeError {
  const detail = stderrDetail(stderr, file);
  if (/Permission denied/i.test(stderr)) {
    return new SentiscopeError(
      'file-unreadable',
      `${file} cannot be read by ffmpeg (permission denied): allow your user to read it or copy it to a folder you own`,
      file,
    );
  }
  if (/No such file or directory/i.test(stderr)) {
    return new SentiscopeError(
      'file-missing',
      `${file} disappeared while being read: check the path, or locate the moved file and add it again`,
      file,
    );
  }
  const codec = /Decoder \(codec (\w+)\) not found|Decoder not found|unknown codec|Unsupported codec/i.exec(stderr);
  if (codec) return unsupportedCodecError(file, /audio/i.test(stderr) ? 'audio' : 'video', codec[1] ?? 'unknown');
  return knownContainer ? corruptMediaError(file, detail) : notMediaError(file, detail);
}
