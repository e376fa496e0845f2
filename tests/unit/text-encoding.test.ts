// The one decoder every import reader uses: which encodings it takes and how it refuses the rest.

import { describe, expect, it } from 'vitest';
import { decodeTextFile } from '../../src/core/io/text-encoding';
import { fileRefusal } from '../helpers/refusal';

const TEXT = 'video_id,clip_id,text\nv,1,naïve café 😀\nv,2,done\n';

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const le = Buffer.from((bom ? '\uFEFF' : '') + text, 'utf16le');
  if (bigEndian) le.swap16();
  return le;
}

describe('decodeTextFile', () => {
  it('reads UTF-8 with and without a BOM, and UTF-16 LE and BE with one, to the same text', () => {
    const cases: [Uint8Array, string][] = [
      [Buffer.from(TEXT, 'utf8'), 'utf-8'],
      [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT, 'utf8')]), 'utf-8'],
      [utf16(TEXT, false, true), 'utf-16le'],
      [utf16(TEXT, true, true), 'utf-16be'],
    ];
    for (const [bytes, encoding] of cases) expect(decodeTextFile(bytes, 'x.csv')).toEqual({ text: TEXT, encoding });
  });

  it('refuses UTF-16 without a BOM, naming the encoding', () => {
    for (const bigEndian of [false, true]) {
      const err = fileRefusal(() => decodeTextFile(utf16(TEXT, bigEndian, false), 'label.csv'));
      expect(err.code).toBe('bad-file');
      expect(err.file).toBe('label.csv');
      expect(err.message).toContain(`label.csv line 1: looks like ${bigEndian ? 'UTF-16BE' : 'UTF-16LE'} without a byte-order mark`);
      expect(err.message).toContain('save the file as UTF-8');
    }
  });

  it('refuses bytes that are not UTF-8 with the line they are on', () => {
    // "café" in Windows-1252 on line 3 (after a CRLF and a lone CR).
    const bytes = Buffer.concat([Buffer.from('a,b\r\nok,1\rcaf'), Buffer.from([0xe9]), Buffer.from(',2\n')]);
    const err = fileRefusal(() => decodeTextFile(bytes, 'posts.csv'));
    expect(err.message).toMatch(/^posts\.csv line 3: not valid UTF-8 \(bytes 0xE9 0x2C\); it may be Latin-1/);
    // Overlong and surrogate encodings are not UTF-8 either.
    expect(fileRefusal(() => decodeTextFile(Buffer.from([0x61, 0xc0, 0xaf]), 'o.srt')).message).toContain('o.srt line 1: not valid UTF-8');
    expect(fileRefusal(() => decodeTextFile(Buffer.from([0x0a, 0xed, 0xa0, 0x80]), 's.srt')).message).toContain('s.srt line 2');
    // A truncated sequence at the very end.
    expect(fileRefusal(() => decodeTextFile(Buffer.from([0x61, 0xe2, 0x82]), 't.vtt')).message).toContain('t.vtt line 1: not valid UTF-8');
  });

  it('refuses a broken UTF-16 file and NUL bytes in UTF-8', () => {
    const odd = Buffer.concat([utf16('a\nb', false, true), Buffer.from([0x41])]);
    expect(fileRefusal(() => decodeTextFile(odd, 'odd.csv')).message).toContain(
      'odd.csv line 2: UTF-16LE (from its byte-order mark) but it ends in half a character',
    );
    const lone = Buffer.concat([utf16('a\n', true, true), Buffer.from([0xd8, 0x3d, 0x00, 0x41])]);
    expect(fileRefusal(() => decodeTextFile(lone, 'lone.csv')).message).toContain(
      'lone.csv line 2: UTF-16BE (from its byte-order mark) but it holds a broken surrogate pair',
    );
    expect(fileRefusal(() => decodeTextFile(Buffer.from('abc,def\nghi\u0000jkl,mno\n'), 'nul.csv')).message).toContain(
      'nul.csv line 2: holds a NUL byte',
    );
  });
});
