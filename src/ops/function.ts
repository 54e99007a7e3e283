// src/ops/function.ts — torch.autograd.Function: user-defined ops with a hand-written backward.
import { RuntimeError } from '../core/errors.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Node } from '../autograd/node.js';
import { Tensor } from '../tensor/tensor.js';
import { isRecording, record } from './define.js';

/** The context a custom Function's forward fills and its backward reads (PyTorch's ctx). */
export class FunctionCtx {
  private saved: Tensor[] = [];
  /** Which inputs need a gradient, by position (non-tensor inputs are false). */
  needsInputGrad: boolean[] = [];
  /** Free-form state for backward. */
  [key: string]: unknown;

  /** Saves tensors for backward; they are checked for in-place changes when read. */
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
  }

  get savedTensors(): readonly Tensor[] {
    return this.saved;
  }
}

/**
 * Subclass with static `forward(ctx, ...inputs)` and `backward(ctx, ...grads)`, then call
 * `MyFn.apply(...inputs)`. The forward runs without recording; its output is linked to a node
 * named `<ClassName>Backward` that calls the backward.
 * @example class Exp extends Function { static forward(ctx, x) { const y = x.exp(); ctx.saveForBackward(y); return y; }
 *                                       static backward(ctx, g) { return [g.mul(ctx.savedTensors[0])]; } }
 */
export abstract class Function {
  static forward(_ctx: FunctionCtx, ..._inputs: unknown[]): Tensor {
    throw new RuntimeError(`${this.name}.forward must be implemented as a static method`);
  }

  static backward(_ctx: FunctionCtx, _grad: Tensor): Tensor | null | (Tensor | null)[] {
    throw new RuntimeError(`${this.name}.backward must be implemented as a static method`);
  }

  /** Runs forward and records backward for the tensor inputs. */
  static apply(...inputs: unknown[]): Tensor {
    const ctx = new FunctionCtx();
    ctx.needsInputGrad = inputs.map((x) => x instanceof Tensor && x.requiresGrad);
    const out = noGrad(() => this.forward(ctx, ...inputs));
    const tensors = inputs.filter((x): x is Tensor => x instanceof Tensor);
    if (!isRecording(tensors)) return out;
    const positions = inputs.flatMap((x, i) => (x instanceof Tensor ? [i] : []));
    // Link a fresh alias so that the forward's own output (maybe an input) keeps its history.
    const result = out.requiresGrad || tensors.includes(out) ? new Tensor(out.storage, out.dims, out.strides, out.offset) : out;
    record(`${this.name}Backward`, tensors, result, ctx, (g) => {
      const grads = this.backward(ctx, g);
      const list = Array.isArray(grads) ? grads : [grads];
      return positions.map((p) => list[p] ?? null);
    }, 'none');
    if (result.gradFn instanceof Node) result.gradFn.save(...ctx.savedTensors);
    return result;
  }
}
