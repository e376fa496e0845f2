// Recognises media containers by their first bytes, and finds MP4/MOV files cut short.
// Why: for a text file renamed .mp4 and for a truncated .mp4, ffmpeg prints the same
// "moov atom not found / Invalid data" — only the file's own bytes tell "not a media file"
// from "a media file that is damaged".

import { open } from 'node:fs/promises';

export interface ContainerSniff {
  /** A short container name when the first bytes match a known media signature, else null. */
  container: string | null;
  /** ISO-BMFF (MP4/MOV/M4A) only: a top-level box runs past the end of the file. */
  truncated: { declaredBytes: number; actualBytes: number } | null;
}

const HEAD_BYTES = 512;

export async function sniffContainer(path: string, size: number): Promise<ContainerSniff> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    const container = recognise(head);
    const truncated = container === 'mp4' ? await findIsoBmffTruncation(handle, size) : null;
    return { container, truncated };
  } finally {
    await handle.close();
  }
}

function recognise(b: Buffer): string | null {
  const ascii = (start: number, end: number) => b.toString('latin1', start, end);
  const isoBoxes = ['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'styp'];
  if (b.length >= 8 && isoBoxes.includes(ascii(4, 8))) return 'mp4';
  if (ascii(0, 4) === 'RIFF') return ascii(8, 12).trim().toLowerCase() || 'riff';
  if (ascii(0, 4) === 'FORM') return 'aiff';
  if (b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3) return 'matroska';
  if (ascii(0, 4) === 'OggS') return 'ogg';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 3) === 'ID3') return 'mp3';
  if (ascii(0, 3) === 'FLV') return 'flv';
  if (ascii(0, 5) === '#!AMR') return 'amr';
  if (ascii(0, 4) === 'caff') return 'caf';
  if (b.length >= 4 && b.readUInt32BE(0) === 0x3026b275) return 'asf';
  if (b.length >= 4 && b.readUInt32BE(0) === 0x000001ba) return 'mpeg-ps';
  if (b.length >= 189 && b[0] === 0x47 && b[188] === 0x47) return 'mpeg-ts';
  if (b.length >= 8 && b.readUInt32BE(0) === 0x89504e47) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  // MPEG audio / ADTS AAC frame sync: 11 set bits.
  if (b.length >= 2 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) return 'mpeg-audio';
  return null;
}

/** Walk the top-level boxes; a box whose declared end lies past EOF means the file was cut. */
async function findIsoBmffTruncation(handle: Awaited<ReturnType<typeof open>>, size: number): Promise<ContainerSniff['truncated']> {
  const header = Buffer.alloc(16);
  let offset = 0;
  for (let boxes = 0; offset < size && boxes < 100_000; boxes++) {
    if (size - offset < 8) return { declaredBytes: offset + 8, actualBytes: size };
    await handle.read(header, 0, 16, offset);
    let boxSize = header.readUInt32BE(0);
    if (boxSize === 0) return null; // "extends to end of file"
    if (boxSize === 1) {
      if (size - offset < 16) return { declaredBytes: offset + 16, actualBytes: size };
      boxSize = Number(header.readBigUInt64BE(8));
    }
    if (boxSize < 8) return null; // not a box structure we understand: let ffmpeg judge
    if (offset + boxSize > size) return { declaredBytes: offset + boxSize, actualBytes: size };
    offset += boxSize;
  }
  return null;
}
