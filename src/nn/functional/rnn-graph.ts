// src/nn/functional/rnn-graph.ts — graph nodes that a recurrent layer's steps share, so that its
// backward does per sequence what per-step ops would do per step (Note [Per-step tensors in
// recurrent layers]): the input projection's gradient is joined once, W_hh's is one product.
import { noGrad } from '../../autograd/grad-mode.js';
import { type Edge, Node } from '../../autograd/node.js';
import { isRecording } from '../../ops/define.js';
import { cat } from '../../ops/indexing.js';
import { addmm, mm } from '../../ops/linalg.js';
import { narrow, t } from '../../ops/views.js';
import { zeros } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

function edgeOf(x: Tensor): Edge {
  if (x.gradFn instanceof Node) return x.gradFn;
  return x.requiresGrad ? x : null;
}

/** What a step hands its collecting node in place of a gradient (the collector ignores it). */
const NO_GRAD = zeros(0);

/** Gives its gradient to the split it came from, and the engine a placeholder. */
class RowsBackward extends Node {
  readonly name = 'SplitWithSizesBackward0';
  constructor(private readonly whole: JoinRows, private readonly index: number) {
    super([whole]);
  }
  apply(g: Tensor): (Tensor | null)[] {
    this.whole.grads[this.index] = g;
    return [NO_GRAD];
  }
}

/**
 * The pieces' gradients joined into the split tensor's with one cat (zeros for pieces without one),
 * once every piece has given its own: the engine runs it after all of its consumers.
 */
class JoinRows extends Node {
  readonly name = 'SplitWithSizesBackward0';
  grads: (Tensor | null)[];
  constructor(private readonly x: Tensor, private readonly sizes: readonly number[]) {
    super([x.gradFn instanceof Node ? x.gradFn : x]);
    this.grads = sizes.map(() => null);
  }
  apply(): (Tensor | null)[] {
    const cols = this.x.dims.slice(1);
    const parts = this.grads.map((g, i) => g ?? zeros([this.sizes[i], ...cols], { dtype: this.x.dtype, device: this.x.device }));
    this.grads = this.sizes.map(() => null);
    return [parts.length === 1 ? parts[0] : cat(parts)];
  }
}

/**
 * Consecutive row blocks of `x` of the given sizes, as views; under autograd their gradients meet in
 * one node that joins them (PyTorch's split_with_sizes, one backward node for all outputs).
 */
export function splitRows(x: Tensor, sizes: readonly number[]): Tensor[] {
  let at = 0;
  const views = noGrad(() => sizes.map((n) => {
    const piece = narrow(x, 0, at, n);
    at += n;
    return piece;
  }));
  if (!isRecording([x])) return views;
  const whole = new JoinRows(x, sizes);
  views.forEach((v, i) => {
    const node = new RowsBackward(whole, i);
    node.output = v;
    v.setGradFn(node);
  });
  return views;
}

/**
 * W_hh's gradient Σₜ dGatesₜᵀ·hₜ₋₁ as one product over the whole sequence, once every step has
 * given its pair (the engine runs it after all of its consumers), instead of one [4H, H] product and
 * sum per step.
 */
export class WeightGradSink extends Node {
  readonly name = 'MmBackward0';
  private hs: Tensor[] = [];
  private gs: Tensor[] = [];
  private constructor(weight: Tensor) {
    super([edgeOf(weight)]);
  }

  /** A sink for W_hh when its gradient is recorded, else none. */
  static for(weight: Tensor): WeightGradSink | null {
    return isRecording([weight]) ? new WeightGradSink(weight) : null;
  }

  add(h: Tensor, g: Tensor): void {
    this.hs.push(h);
    this.gs.push(g);
  }

  apply(): (Tensor | null)[] {
    const [hs, gs] = [this.hs, this.gs];
    this.hs = [];
    this.gs = [];
    if (gs.length === 0) return [null];
    return [mm(t(gs.length === 1 ? gs[0] : cat(gs)), hs.length === 1 ? hs[0] : cat(hs))];
  }

  protected override freeInputs(): void {
    this.hs = [];
    this.gs = [];
  }
}

/** The gates xp + h·W_hhᵀ of one step, W_hh's gradient left to `sink` (AddmmBackward0 otherwise). */
class StepGatesBackward extends Node {
  readonly name = 'AddmmBackward0';
  constructor(xp: Tensor, private h: Tensor | null, private w: Tensor | null, private readonly sink: WeightGradSink | null) {
    super([edgeOf(xp), edgeOf(h as Tensor), sink]);
    // version-checked, as addmm's saved operands are
    this.save(h as Tensor, w as Tensor);
  }
  apply(g: Tensor): (Tensor | null)[] {
    if (this.h === null || this.w === null) return [null, null, null];
    this.sink?.add(this.h, g);
    return [g, this.next[1] === null ? null : mm(g, this.w), this.sink === null ? null : NO_GRAD];
  }
  protected override freeInputs(): void {
    this.h = null;
    this.w = null;
  }
}

/** xp + h·W_hhᵀ, as addmm; under autograd W_hh's gradient goes to `sink` when there is one. */
export function stepGates(xp: Tensor, h: Tensor, weight: Tensor, sink: WeightGradSink | null): Tensor {
  if (sink === null || !isRecording([xp, h, weight])) return addmm(xp, h, t(weight));
  const out = noGrad(() => addmm(xp, h, t(weight)));
  const node = new StepGatesBackward(xp, h, weight, sink);
  node.output = out;
  out.setGradFn(node);
  return out;
}
