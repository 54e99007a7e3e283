// src/nn/functional/loss.ts — loss functions (F.mseLoss …) with PyTorch's reductions.
import { AssertionError, ValueError } from '../../core/errors.js';
import { broadcastShapes, contiguousStrides } from '../../core/shape.js';
import type { View } from '../../backends/backend.js';
import { defineOp, expandView } from '../../ops/define.js';
import { mul, sub } from '../../ops/elementwise.js';
import { resultType } from '../../ops/operands.js';
import type { Tensor } from '../../tensor/tensor.js';

export type Reduction = 'mean' | 'sum' | 'none';

/** The seed's rule: criterions do not differentiate with respect to their target. */
export function checkTarget(target: Tensor): void {
  if (target.requiresGrad) {
    throw new AssertionError(
      "nn criterions don't compute the gradient w.r.t. targets - please mark these tensors as not requiring gradients",
    );
  }
}

/** Checks a reduction name coming from untyped callers. */
export function checkReduction(op: string, reduction: string): asserts reduction is Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ValueError(`${op}: ${reduction} is not a valid value for reduction`);
  }
}

const dense = (storage: View['storage'], shape: readonly number[]): View => ({
  storage, shape, strides: contiguousStrides(shape), offset: 0,
});

const mseLossOp = defineOp<Reduction>({
  name: 'mse_loss',
  gradFn: 'MseLossBackward0',
  meta: ([a, b], reduction) => {
    const shape = broadcastShapes('mse_loss', a!.dims, b!.dims);
    const dtype = resultType([a!, b!]);
    return { shape: reduction === 'none' ? shape : [], dtype, cast: dtype };
  },
  forward: (be, [a, b], out, reduction) => {
    const shape = broadcastShapes('mse_loss', a!.shape, b!.shape);
    const n = shape.reduce((x, y) => x * y, 1);
    const diff = reduction === 'none' ? out : be.alloc(out.dtype, n);
    be.binary('sub', expandView(a!, shape), expandView(b!, shape), diff);
    be.binary('mul', dense(diff, shape), dense(diff, shape), diff);
    if (reduction === 'none') return;
    be.reduce('sum', dense(diff, shape), shape.map((_, i) => i), out);
    // mean of an empty tensor is NaN, as in PyTorch
    if (reduction === 'mean') out.data[0] = out.data[0]! / n;
  },
  backward: (g, [a, b], _, reduction) => {
    const n = broadcastShapes('mse_loss', a!.dims, b!.dims).reduce((x, y) => x * y, 1);
    const scale = reduction === 'mean' ? 2 / n : 2;
    const ga = mul(mul(sub(a!, b!), g), scale);
    return [ga, mul(ga, -1)];
  },
  saves: 'inputs',
});

/** Mean squared error (F.mse_loss); reduction 'mean' (default), 'sum' or 'none'. */
export function mseLoss(input: Tensor, target: Tensor, { reduction = 'mean' }: { reduction?: Reduction } = {}): Tensor {
  checkReduction('mse_loss', reduction);
  checkTarget(target);
  return mseLossOp([input, target], reduction);
}
