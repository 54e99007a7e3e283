// src/nn/functional/rnn-graph.ts — graph nodes that a recurrent layer's steps share, so that its
// backward does per sequence what per-step ops would do per step (Note [Per-step tensors in
// recurrent layers]): W_hh's gradient is one product.
import { noGrad } from '../../autograd/grad-mode.js';
import { Node } from '../../autograd/node.js';
import { edgeOf, isRecording } from '../../ops/define.js';
import { cat, NO_GRAD } from '../../ops/indexing.js';
import { addmm, mm } from '../../ops/linalg.js';
import { t } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';

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
