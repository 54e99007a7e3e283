// src/nn/functional/embedding.ts — F.embedding: rows of a weight picked by int64 indices, with
// PyTorch's EmbeddingBackward0 gradient (rows summed per index; the padding row gets none).
import { IndexError, RuntimeError } from '../../core/errors.js';
import { numelOf } from '../../core/shape.js';
import { defineOp, denseOf, type Grads } from '../../ops/define.js';
import { eq, where } from '../../ops/elementwise.js';
import { indexAdd } from '../../ops/indexing.js';
import { reshape, unsqueeze } from '../../ops/views.js';
import { zeros } from '../../tensor/creation.js';
import { isCpuStorage } from '../../tensor/device.js';
import type { Tensor } from '../../tensor/tensor.js';

const embeddingOp = defineOp<number | null>({
  name: 'embedding',
  gradFn: 'EmbeddingBackward0',
  meta: ([weight, indices]) => ({ shape: [...indices.dims, weight.dims[1]], dtype: weight.dtype }),
  forward: (be, [weight, indices], out) => {
    const n = numelOf(indices.shape), d = weight.shape[1];
    const idx = denseOf(be, indices);
    // The gather kernel reads weight[index[i][j]][j]: each index is broadcast along its row (stride 0).
    be.gather(weight, 0, { storage: idx.storage, shape: [n, d], strides: [1, 0], offset: idx.offset }, out);
  },
  overwrites: true,
  backward: (g, [weight, indices], _, paddingIdx): Grads => {
    const d = weight.dims[1];
    const flatIdx = reshape(indices, [-1]);
    let rows = reshape(g, [-1, d]);
    if (paddingIdx !== null) rows = where(unsqueeze(eq(flatIdx, paddingIdx), 1), 0, rows);
    return [indexAdd(zeros(weight.dims, { dtype: g.dtype, device: g.storage.device }), 0, flatIdx, rows), null];
  },
  saves: 'inputs',
});

/** The rows of `weight` [num, dim] at the int64 `input` indices, shape [...input, dim] (F.embedding). */
export function embedding(input: Tensor, weight: Tensor, paddingIdx: number | null = null): Tensor {
  if (input.dtype !== 'int64' && input.dtype !== 'int32') {
    const name = { float32: 'Float', float64: 'Double', bool: 'Bool', uint8: 'Byte' }[input.dtype];
    throw new RuntimeError(
      `embedding: Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got torch.${name}Tensor instead (while checking arguments for embedding)`,
    );
  }
  if (weight.dim() !== 2) throw new RuntimeError(`embedding: 'weight' must be 2-D`);
  const num = weight.dims[0];
  let pad = paddingIdx;
  if (pad !== null) {
    if (pad >= num || pad < -num) throw new RuntimeError('embedding: Padding_idx must be within num_embeddings');
    if (pad < 0) pad += num;
  }
  // Only CPU indices are checked: a device's are not readable synchronously (PyTorch's CUDA leaves them to device asserts).
  if (isCpuStorage(input.storage)) {
    for (const i of input.toArray()) if (i < 0 || i >= num) throw new IndexError('embedding: index out of range in self');
  }
  return embeddingOp([weight, input], pad);
}
