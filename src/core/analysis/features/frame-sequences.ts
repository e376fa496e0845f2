// Ragged per-frame sequences (`sentiscope features --sequences`): every row's frame matrix
// for one modality, rows concatenated into one float32 [total_frames, dims] matrix, plus
// int64 offsets with rows + 1 entries (row i is frames[offsets[i]:offsets[i + 1]]). An
// absent modality has no frames, so its row is empty, as the seed models' masks expect.

import type { FrameSequence, SegmentFeatures } from './segment-features';

export interface RaggedFrames {
  /** Row-major total x dims. */
  data: Float32Array;
  total: number;
  dims: number;
  /** rows + 1 entries, starting at 0 and ending at total. */
  offsets: number[];
}

/** Concatenates results[i][modality].frames; a result without frames contributes none. */
export function raggedFrames(results: readonly SegmentFeatures[], modality: 'audio' | 'visual', dims: number): RaggedFrames {
  const sequences: (FrameSequence | undefined)[] = results.map((r) => r[modality]?.frames);
  const offsets = [0];
  for (const [i, sequence] of sequences.entries()) {
    if (sequence && sequence.dims !== dims) {
      throw new RangeError(`raggedFrames: row ${i} has ${sequence.dims} ${modality} columns, expected ${dims}`);
    }
    offsets.push(offsets[offsets.length - 1] + (sequence?.frames ?? 0));
  }
  const total = offsets[offsets.length - 1];
  const data = new Float32Array(total * dims);
  sequences.forEach((sequence, i) => {
    if (sequence) data.set(sequence.data.subarray(0, sequence.frames * dims), offsets[i] * dims);
  });
  return { data, total, dims, offsets };
}
