// src/nn/functional/linear.ts — F.linear: y = x·Wᵀ + b, as the seed shows torch/nn/functional.py does it.
import { add } from '../../ops/elementwise.js';
import { addmm, matmul } from '../../ops/linalg.js';
import { t } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';

/** Applies x·Wᵀ + b; a 2-D input with a bias uses the fused addmm, as PyTorch does. */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (input.dim() === 2 && bias !== null) return addmm(bias, input, t(weight));
  const output = matmul(input, t(weight));
  return bias === null ? output : add(output, bias);
}
