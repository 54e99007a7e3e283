// src/ops/autograd.ts — Tensor.backward and torch.autograd.grad: seeding and running the engine.
import { RuntimeError } from '../core/errors.js';
import { sameShape } from '../core/shape.js';
import { type GradMath, runBackward } from '../autograd/engine.js';
import { onesLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from './elementwise.js';
import { clone, detach } from './views.js';

/** Recorded gradient arithmetic, for backward passes that build a graph (createGraph). */
const recordedMath: GradMath = {
  add,
  addInPlace: (a, b) => {
    throw new RuntimeError(`addInPlace: not used when create_graph is set (shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}])`);
  },
  clone,
};

export interface BackwardArgs {
  retainGraph?: boolean;
  createGraph?: boolean;
}

function seed(op: string, outputs: readonly Tensor[], grads: readonly (Tensor | null)[] | undefined): Tensor[] {
  return outputs.map((y, i) => {
    const g = grads?.[i] ?? null;
    if (g === null) {
      if (y.numel() !== 1) throw new RuntimeError(`${op}: grad can be implicitly created only for scalar outputs`);
      return onesLike(y);
    }
    if (!sameShape(g.dims, y.dims)) {
      throw new RuntimeError(
        `${op}: Mismatch in shape: grad_output[${i}] has a shape of torch.Size([${g.dims.join(', ')}]) and output[${i}] ` +
          `has a shape of torch.Size([${y.dims.join(', ')}]).`,
      );
    }
    return g.requiresGrad ? g : detach(g);
  });
}

function checkOutputs(op: string, outputs: readonly Tensor[]): void {
  outputs.forEach((y, i) => {
    if (!y.requiresGrad) {
      throw new RuntimeError(`${op}: element ${i} of tensors does not require grad and does not have a grad_fn`);
    }
  });
}

/** Accumulates d(outputs)/d(leaf) into each leaf's `.grad` (Tensor.backward / torch.autograd.backward). */
export function backward(outputs: Tensor | readonly Tensor[], grads?: Tensor | null | readonly (Tensor | null)[], options: BackwardArgs = {}): void {
  const ys = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const gs = grads === undefined || grads === null ? undefined : Array.isArray(grads) ? grads : [grads as Tensor];
  checkOutputs('backward', ys);
  runBackward(ys, seed('backward', ys, gs), options, options.createGraph ? recordedMath : undefined);
}

/** Gradients of outputs with respect to inputs, without touching `.grad` (torch.autograd.grad). */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: BackwardArgs & { gradOutputs?: readonly (Tensor | null)[]; allowUnused?: boolean } = {},
): (Tensor | null)[] {
  const ys = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const xs = Array.isArray(inputs) ? (inputs as readonly Tensor[]) : [inputs as Tensor];
  checkOutputs('grad', ys);
  const result = runBackward(ys, seed('grad', ys, options.gradOutputs), { ...options, inputs: xs }, options.createGraph ? recordedMath : undefined);
  if (!options.allowUnused && result.some((g) => g === null)) {
    throw new RuntimeError(
      'grad: One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.',
    );
  }
  return result;
}
