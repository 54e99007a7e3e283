// src/nn/functional/activation.ts — activation functions (F.relu …), with PyTorch's inplace option.
import { relu as reluOp } from '../../ops/elementwise.js';
import type { Tensor } from '../../tensor/tensor.js';

export interface Inplace {
  inplace?: boolean;
}

/** max(x, 0) elementwise; `{ inplace: true }` overwrites x. */
export function relu(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return inplace ? input.relu_() : reluOp(input);
}
