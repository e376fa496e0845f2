// NumPy .npy files (format version 1.0), so Python training reads extracted features with
// numpy.load and nothing else. Only what the feature tables need: little-endian float32
// matrices, C order, and int64 vectors (the offsets of ragged frame sequences).

import { SentiscopeError } from '../../shared/errors';

const MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59);

/** The bytes of a float32 [rows, cols] .npy file holding `data` (row-major, rows*cols values). */
export function encodeNpyFloat32(data: Float32Array, rows: number, cols: number): Buffer {
  if (data.length !== rows * cols) throw new RangeError(`encodeNpyFloat32: ${data.length} values for a ${rows}x${cols} matrix`);
  const head = npyHeader('<f4', `(${rows}, ${cols})`);
  const body = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) body.writeFloatLE(data[i], i * 4);
  return Buffer.concat([head, body]);
}

/** The bytes of an int64 1-D .npy file holding `values` (whole numbers within 2^53). */
export function encodeNpyInt64Vector(values: ArrayLike<number>): Buffer {
  const head = npyHeader('<i8', `(${values.length},)`);
  const body = Buffer.alloc(values.length * 8);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isSafeInteger(values[i])) throw new RangeError(`encodeNpyInt64Vector: ${values[i]} at ${i} is not a safe integer`);
    body.writeBigInt64LE(BigInt(values[i]), i * 8);
  }
  return Buffer.concat([head, body]);
}

/** Reads an int64 little-endian 1-D .npy (what encodeNpyInt64Vector writes, or numpy.save of such an array). */
export function decodeNpyInt64Vector(bytes: Buffer, file = '(npy)'): number[] {
  const bad = (why: string) =>
    new SentiscopeError(
      'bad-file',
      `${file} is not an int64 vector .npy file (${why}): write it with numpy.save of an int64 1-D array`,
      file,
    );
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw bad('no NUMPY magic');
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  if (!/'descr':\s*'<i8'/.test(header)) throw bad(`dtype is not <i8: ${header.trim()}`);
  const shape = /'shape':\s*\((\d+),\)/.exec(header);
  if (!shape) throw bad(`shape is not 1-D: ${header.trim()}`);
  const length = Number(shape[1]);
  const offset = start + headerLength;
  if (bytes.length - offset !== length * 8) throw bad(`expected ${length * 8} data bytes, found ${bytes.length - offset}`);
  return Array.from({ length }, (_, i) => Number(bytes.readBigInt64LE(offset + i * 8)));
}

/** Magic, version 1.0, header length and the header dict for `descr` and `shape` (a Python tuple). */
function npyHeader(descr: string, shape: string): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces and ended by
  // a newline to a multiple of 64 bytes, as numpy writes it (data stays aligned).
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = Buffer.alloc(MAGIC.length + 4 + header.length);
  head.set(MAGIC, 0);
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  head.write(header, 10, 'latin1');
  return head;
}

export interface NpyMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/** Reads a float32 little-endian C-order 2-D .npy (what encodeNpyFloat32 writes, or numpy.save of such an array). */
export function decodeNpyFloat32(bytes: Buffer, file = '(npy)'): NpyMatrix {
  const bad = (why: string) =>
    new SentiscopeError(
      'bad-file',
      `${file} is not a float32 matrix .npy file (${why}): write it with numpy.save of a float32 2-D array`,
      file,
    );
  if (bytes.length < 10 || !MAGIC.every((b, i) => bytes[i] === b)) throw bad('no NUMPY magic');
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.subarray(start, start + headerLength).toString('latin1');
  if (!/'descr':\s*'<f4'/.test(header)) throw bad(`dtype is not <f4: ${header.trim()}`);
  if (/'fortran_order':\s*True/.test(header)) throw bad('Fortran order');
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!shape) throw bad(`shape is not 2-D: ${header.trim()}`);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  const offset = start + headerLength;
  if (bytes.length - offset !== rows * cols * 4) throw bad(`expected ${rows * cols * 4} data bytes, found ${bytes.length - offset}`);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = bytes.readFloatLE(offset + i * 4);
  return { rows, cols, data };
}
