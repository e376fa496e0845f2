// Unpacks the base64 Float32 arrays the core sends ('media:peaksPacked',
// 'media:spectrogram'): little-endian, `count` values.

import { SentiscopeError } from '../../../shared/errors';

export function unpackFloat32(base64: string, count: number): Float32Array {
  const binary = atob(base64);
  if (binary.length !== count * 4) {
    throw new SentiscopeError('internal', `packed floats: expected ${count * 4} bytes, got ${binary.length}: reload the page`);
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}
