// src/nn/functional/linear.ts — F.linear (y = x·Wᵀ + b, as the seed shows torch/nn/functional.py does it) and F.bilinear.
import { RuntimeError } from '../../core/errors.js';
import { add, mul } from '../../ops/elementwise.js';
import { addmm, matmul } from '../../ops/linalg.js';
import { sum } from '../../ops/reduce.js';
import { permute, reshape, t, unsqueeze } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * Applies x·Wᵀ + b. With a bias, a 2-D input uses the fused addmm, and so does a contiguous input of
 * more dims, its leading dims folded into rows and the result viewed back (ViewBackward0 over
 * AddmmBackward0, as PyTorch's aten::linear): one GEMM with the bias in it, no separate add.
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  if (input.dim() === 2 && bias !== null) return addmm(bias, input, t(weight));
  if (input.dim() > 2 && bias !== null && input.isContiguous() && weight.dim() === 2) {
    const lead = input.dims.slice(0, -1), rows = lead.reduce((a, b) => a * b, 1);
    const folded = addmm(bias, reshape(input, [rows, input.dims[input.dim() - 1]]), t(weight));
    return reshape(folded, [...lead, weight.dims[0]]);
  }
  const output = matmul(input, t(weight));
  return bias === null ? output : add(output, bias);
}

/**
 * y[n, o] = Σᵢⱼ x1[n, i]·W[o, i, j]·x2[n, j] + b[o] (F.bilinear), for inputs [..., in1] and
 * [..., in2], composed from a matrix product so that autograd needs nothing of its own.
 */
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const [out, in1, in2] = weight.dims as [number, number, number];
  if (weight.dim() !== 3 || input1.dims[input1.dim() - 1] !== in1 || input2.dims[input2.dim() - 1] !== in2) {
    throw new RuntimeError(
      `bilinear: input1 [${input1.dims.join(', ')}] and input2 [${input2.dims.join(', ')}] do not match ` +
        `weight [${weight.dims.join(', ')}] (expected [..., ${in1}] and [..., ${in2}])`,
    );
  }
  const lead = input1.dims.slice(0, -1);
  // x1 @ W viewed as [in1, out·in2] gives, for each sample, the [out, in2] matrix to dot with x2.
  const mixed = matmul(reshape(input1, [-1, in1]), reshape(permute(weight, [1, 0, 2]), [in1, out * in2]));
  const y = sum(mul(reshape(mixed, [-1, out, in2]), unsqueeze(reshape(input2, [-1, in2]), 1)), -1);
  const shaped = reshape(y, [...lead, out]);
  return bias === null ? shaped : add(shaped, bias);
}
