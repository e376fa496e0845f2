// Turning an encoder's per-token / per-frame output into one vector per input.

/** A [batch, steps, dims] float tensor as transformers.js returns it. */
export interface SequenceOutput {
  dims: readonly number[];
  data: ArrayLike<number>;
}

export type Pooling = 'mean' | 'cls';

function shapeOf(output: SequenceOutput): [number, number, number] {
  if (output.dims.length !== 3) throw new Error(`expected a [batch, steps, dims] output, got [${output.dims.join(', ')}]`);
  return [output.dims[0], output.dims[1], output.dims[2]];
}

/**
 * Mean over the steps whose mask is non-zero (all steps without a mask), as
 * sentence-transformers does; padding never moves a text's vector.
 */
export function meanPool(output: SequenceOutput, mask?: ArrayLike<number | bigint>): Float32Array[] {
  const [batch, steps, dims] = shapeOf(output);
  const pooled: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const sum = new Float64Array(dims);
    let count = 0;
    for (let t = 0; t < steps; t++) {
      if (mask && Number(mask[b * steps + t]) === 0) continue;
      const base = (b * steps + t) * dims;
      for (let d = 0; d < dims; d++) sum[d] += output.data[base + d];
      count++;
    }
    pooled.push(Float32Array.from(sum, (v) => (count ? v / count : 0)));
  }
  return pooled;
}

/** The first step ([CLS] / <s>) of each item. */
export function clsPool(output: SequenceOutput): Float32Array[] {
  const [batch, steps, dims] = shapeOf(output);
  const pooled: Float32Array[] = [];
  for (let b = 0; b < batch; b++) {
    const base = b * steps * dims;
    pooled.push(Float32Array.from({ length: dims }, (_, d) => output.data[base + d]));
  }
  return pooled;
}

export function softmax(logits: ArrayLike<number>): Float32Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  const exp = Float64Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i] - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return Float32Array.from(exp, (v) => v / total);
}

export function sigmoid(logits: ArrayLike<number>): Float32Array {
  return Float32Array.from({ length: logits.length }, (_, i) => 1 / (1 + Math.exp(-logits[i])));
}

/** Rows of a [batch, n] tensor. */
export function rowsOf(output: SequenceOutput): Float32Array[] {
  if (output.dims.length !== 2) throw new Error(`expected a [batch, n] output, got [${output.dims.join(', ')}]`);
  const [batch, n] = output.dims;
  return Array.from({ length: batch }, (_, b) => Float32Array.from({ length: n }, (_, i) => output.data[b * n + i]));
}
