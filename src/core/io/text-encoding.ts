// The one decoder behind every text file users import (CSV, SRT, VTT, TextGrid, ...).
// Accepted: UTF-8 with or without a BOM, UTF-16 LE or BE with a BOM (what Excel's
// "Unicode text" and Praat write). Anything else is refused whole, naming the file, the
// line and what is wrong, instead of letting a reader trip over mojibake or NUL bytes
// and report a confusing cell count.

import { FileProblems } from './file-problems';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

const WHAT_TO_DO = 'Nothing was imported; save the file as UTF-8 (or UTF-16 with a byte-order mark) and import it again.';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

function bomOf(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/** The code unit at `offset` (a byte, or a UTF-16 unit); -1 past the end. */
function unitAt(bytes: Uint8Array, offset: number, unit: 1 | 2, bigEndian: boolean): number {
  if (offset + unit > bytes.length) return -1;
  if (unit === 1) return bytes[offset];
  return bigEndian ? (bytes[offset] << 8) | bytes[offset + 1] : bytes[offset] | (bytes[offset + 1] << 8);
}

/** 1-based line of the byte at `offset`, counting LF, CRLF and lone CR as the CSV reader does. */
function lineAt(bytes: Uint8Array, offset: number, unit: 1 | 2, bigEndian = false): number {
  let line = 1;
  for (let i = 0; i < offset; i += unit) {
    const code = unitAt(bytes, i, unit, bigEndian);
    if (code === 0x0a || (code === 0x0d && unitAt(bytes, i + unit, unit, bigEndian) !== 0x0a)) line++;
  }
  return line;
}

/** Where UTF-8 decoding first fails: the offset of the bad sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let extra: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [extra, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [extra, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [extra, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += extra + 1;
  }
  return -1;
}

/**
 * UTF-16 without a BOM decodes as "valid" UTF-8 full of NULs, so it is told apart by its
 * pattern: mostly-ASCII text in UTF-16 has a NUL in every other byte.
 */
function looksLikeBomlessUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const sample = bytes.subarray(0, Math.min(bytes.length, 4096) & ~1);
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenNuls++;
    if (sample[i + 1] === 0) oddNuls++;
  }
  const pairs = sample.length / 2;
  if (pairs === 0) return null;
  if (oddNuls > pairs * 0.3 && evenNuls < pairs * 0.05) return 'utf-16le';
  if (evenNuls > pairs * 0.3 && oddNuls < pairs * 0.05) return 'utf-16be';
  return null;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

function refuse(file: string, line: number, reason: string): never {
  const problems = new FileProblems(file, 'bad-file', WHAT_TO_DO);
  problems.add(line, reason);
  problems.throwIfAny();
  throw new Error('unreachable');
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', file: string): string {
  const bigEndian = encoding === 'utf-16be';
  if (bytes.length % 2 !== 0) {
    refuse(
      file,
      lineAt(bytes, bytes.length - 1, 2, bigEndian),
      `${encoding.toUpperCase()} (from its byte-order mark) but it ends in half a character`,
    );
  }
  // A lone surrogate is the one way UTF-16 can be undecodable; find it for the message.
  for (let i = 0; i < bytes.length; i += 2) {
    const unit = unitAt(bytes, i, 2, bigEndian);
    if (unit < 0xd800 || unit > 0xdfff) continue;
    const next = unitAt(bytes, i + 2, 2, bigEndian);
    if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i += 2;
      continue;
    }
    refuse(
      file,
      lineAt(bytes, i, 2, bigEndian),
      `${encoding.toUpperCase()} (from its byte-order mark) but it holds a broken surrogate pair`,
    );
  }
  return new TextDecoder(encoding).decode(bytes);
}

/** Decodes a user's text file; `file` names it in the error when it cannot be decoded. */
export function decodeTextFile(bytes: Uint8Array, file: string): DecodedText {
  const bom = bomOf(bytes);
  if (bom && bom.encoding !== 'utf-8') {
    return { text: decodeUtf16(bytes.subarray(bom.length), bom.encoding, file), encoding: bom.encoding };
  }
  const body = bom ? bytes.subarray(bom.length) : bytes;
  const utf16 = looksLikeBomlessUtf16(body);
  if (utf16) {
    refuse(
      file,
      1,
      `looks like ${utf16.toUpperCase()} without a byte-order mark, which cannot be told apart from other encodings for sure`,
    );
  }
  const bad = firstInvalidUtf8(body);
  if (bad >= 0) {
    const sequence = Array.from(body.subarray(bad, bad + 2), hex).join(' ');
    refuse(file, lineAt(body, bad, 1), `not valid UTF-8 (bytes ${sequence}); it may be Latin-1 or Windows-1252, or a binary file`);
  }
  const nul = body.indexOf(0);
  if (nul >= 0) refuse(file, lineAt(body, nul, 1), 'holds a NUL byte, which no text file has; is it a binary file?');
  return { text: new TextDecoder('utf-8').decode(body), encoding: 'utf-8' };
}
