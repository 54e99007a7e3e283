// src/autograd/engine.ts — walks the graph backwards from roots, without recursion.
import { RuntimeError } from '../core/errors.js';
import { backendOf } from '../tensor/device.js';
import { type Tensor, uninitTensor } from '../tensor/tensor.js';
import { enableGrad, noGrad } from './grad-mode.js';
import { runPostAccumulateGradHooks } from './hooks.js';
import { Node } from './node.js';

/** The few ops the engine needs to combine gradients, passed in so autograd stays below ops. */
export interface GradMath {
  add(a: Tensor, b: Tensor): Tensor;
  /** a += b in place, without recording. */
  addInPlace(a: Tensor, b: Tensor): void;
  /** A contiguous copy that owns its storage, without recording. */
  clone(a: Tensor): Tensor;
}

/**
 * Gradient arithmetic straight on kernels, for backward passes that are not themselves
 * recorded (createGraph false). Gradients reaching one tensor share its shape and dtype.
 */
export const kernelMath: GradMath = {
  add(a, b) {
    const be = backendOf('add', [a, b]), out = uninitTensor(be, a.dims, a.dtype);
    be.binary('add', a.kernelView(), b.kernelView(), out.storage);
    return out;
  },
  addInPlace(a, b) {
    backendOf('add_', [a, b]).binary('add', a.kernelView(), b.kernelView(), a.storage);
  },
  clone(a) {
    const be = backendOf('clone', [a]), out = uninitTensor(be, a.dims, a.dtype);
    be.copy(a.kernelView(), out.kernelView());
    return out;
  },
};

export interface BackwardOptions {
  retainGraph?: boolean;
  createGraph?: boolean;
  /** When given, gradients are returned for these tensors instead of accumulated into leaves. */
  inputs?: readonly Tensor[];
}

/**
 * Counts, for each node reachable from the roots, how many edges point to it, with an
 * explicit stack so that a chain of 100,000 ops does not overflow the call stack.
 */
function dependencies(roots: readonly Node[]): Map<Node, number> {
  const deps = new Map<Node, number>();
  const stack: Node[] = [];
  for (const r of roots) {
    if (!deps.has(r)) {
      deps.set(r, 0);
      stack.push(r);
    }
  }
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    for (const e of node.next) {
      if (!(e instanceof Node)) continue;
      const seen = deps.get(e);
      deps.set(e, (seen ?? 0) + 1);
      if (seen === undefined) stack.push(e);
    }
  }
  return deps;
}

/**
 * Sums gradients. Sums the engine allocated itself (and handed to no one yet) take further gradients in
 * place, as PyTorch's InputBuffer::accumulate does: a node's first two gradients make one new tensor,
 * the rest add into it. Anything else (a node's own result, which may be shared between edges, saved,
 * or the caller's seed) is never written. Recorded backward passes (createGraph) always allocate.
 */
function accumulator(math: GradMath, createGraph: boolean): Accumulator {
  const owned = new Set<Tensor>();
  return {
    combine: (a, b) => {
      if (a === undefined) return b;
      if (!createGraph && owned.has(a) && a.storage !== b.storage) {
        math.addInPlace(a, b);
        return a;
      }
      const sum = math.add(a, b);
      if (!createGraph) owned.add(sum);
      return sum;
    },
    take: (pending, node) => {
      const g = pending.get(node);
      // A node is made ready only once a gradient is pending for it.
      if (g === undefined) throw new RuntimeError(`autograd engine: ${node.name} became ready without a gradient`);
      pending.delete(node);
      // From now on others (the node's backward, the tensors it returns to) may hold it.
      owned.delete(g);
      return g;
    },
  };
}

interface Accumulator {
  combine: (a: Tensor | undefined, b: Tensor) => Tensor;
  /** A ready node's summed gradient, taken out of `pending` and out of the engine's hands. */
  take: (pending: Map<Node, Tensor>, node: Node) => Tensor;
}

/**
 * Runs backward from `roots` seeded with `grads`. Leaves get their gradients accumulated into
 * `.grad`; with `inputs`, the gradients of those tensors are returned instead.
 */
export function runBackward(
  roots: readonly Tensor[],
  grads: readonly Tensor[],
  options: BackwardOptions,
  math: GradMath = kernelMath,
): (Tensor | null)[] {
  const { retainGraph = options.createGraph ?? false, createGraph = false, inputs } = options;
  const wanted = inputs ? new Set<Tensor>(inputs) : null;
  const pending = new Map<Node, Tensor>();
  // Gradients for leaves (and retained or wanted tensors) are summed during the walk and stored
  // at the end, when no pending gradient can alias them any more.
  const collected = new Map<Tensor, Tensor>();
  const { combine, take } = accumulator(math, createGraph);
  const deliverToTensor = (t: Tensor, g: Tensor): void => {
    if (wanted === null || wanted.has(t)) collected.set(t, combine(collected.get(t), g));
  };

  const rootNodes: Node[] = [];
  roots.forEach((r, i) => {
    const g = grads[i];
    if (r.gradFn instanceof Node) {
      rootNodes.push(r.gradFn);
      pending.set(r.gradFn, combine(pending.get(r.gradFn), g));
    } else if (r.requiresGrad) {
      deliverToTensor(r, g);
    } else {
      throw new RuntimeError('backward: element 0 of tensors does not require grad and does not have a grad_fn');
    }
  });
  const deps = dependencies(rootNodes);
  const ready: Node[] = rootNodes.filter((n, i) => deps.get(n) === 0 && rootNodes.indexOf(n) === i);
  const step = (): void => {
    for (let node = ready.pop(); node !== undefined; node = ready.pop()) {
      const g = take(pending, node);
      const out = node.output;
      if (out !== null && (out.retainsGrad || wanted?.has(out))) deliverToTensor(out, g);
      node.checkSaved();
      const inputGrads = node.apply(g);
      if (!retainGraph) node.release();
      node.next.forEach((edge, i) => {
        const gi = inputGrads[i];
        if (edge === null) return;
        if (edge instanceof Node) {
          if (gi) pending.set(edge, combine(pending.get(edge), gi));
          if (countDown(deps, edge) === 0) {
            if (pending.has(edge)) ready.push(edge);
            else releaseUnreached(edge, deps, ready, pending);
          }
        } else if (gi) {
          deliverToTensor(edge, gi);
        }
      });
    }
  };
  if (createGraph) enableGrad(step);
  else noGrad(step);
  if (inputs) return inputs.map((t) => collected.get(t) ?? null);
  storeGrads(collected, grads, createGraph, math);
  return [];
}

/** Accumulates the collected gradients into `.grad`, once the walk can no longer alias them. */
function storeGrads(collected: Map<Tensor, Tensor>, seeds: readonly Tensor[], createGraph: boolean, math: GradMath): void {
  // A gradient may become .grad without a copy only if it fills a storage of its own that
  // nothing else was handed: not the caller's seed gradients, not another leaf's gradient. A
  // view of a fresh intermediate (a linear layer's weight gradient is a transposed product)
  // qualifies, which saves a copy of every weight gradient.
  const handed = new Set(seeds.map((g) => g.storage));
  const ownsStorage = (g: Tensor): boolean =>
    g.isContiguous() && g.offset === 0 && g.numel() === g.storage.numel && !handed.has(g.storage);
  noGrad(() => {
    for (const [t, g] of collected) {
      if (t.grad === null) {
        t.grad = createGraph || ownsStorage(g) ? g : math.clone(g);
      } else if (createGraph) {
        const prev = t.grad;
        t.grad = enableGrad(() => math.add(prev, g));
      } else {
        math.addInPlace(t.grad, g);
      }
      handed.add(g.storage);
      runPostAccumulateGradHooks(t);
    }
  });
}

/**
 * A node all of whose consumers gave it no gradient still counts down its own inputs, so that
 * nodes reachable through it from elsewhere become ready.
 */
function releaseUnreached(node: Node, deps: Map<Node, number>, ready: Node[], pending: Map<Node, Tensor>): void {
  const stack = [node];
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    for (const e of n.next) {
      if (!(e instanceof Node)) continue;
      if (countDown(deps, e) === 0) {
        if (pending.has(e)) ready.push(e);
        else stack.push(e);
      }
    }
  }
}

/** Takes one consumer off a node's count and returns what is left; `dependencies` counted every node reached. */
function countDown(deps: Map<Node, number>, node: Node): number {
  const count = deps.get(node);
  if (count === undefined) throw new RuntimeError(`autograd engine: ${node.name} was not counted as a dependency`);
  deps.set(node, count - 1);
  return count - 1;
}
