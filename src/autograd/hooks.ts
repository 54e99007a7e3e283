// src/autograd/hooks.ts — post-accumulate-grad hooks (PyTorch's Tensor.register_post_accumulate_grad_hook):
// called on a leaf right after backward has stored its `.grad`. DistributedDataParallel starts a bucket's
// all-reduce from them as soon as the bucket's last gradient lands.
import type { Tensor } from '../tensor/tensor.js';

/** What register… returns: `remove()` unregisters the hook (PyTorch's RemovableHandle). */
export interface RemovableHandle {
  remove(): void;
}

const hooks = new WeakMap<Tensor, Set<(t: Tensor) => void>>();

/** Calls `hook(t)` after each backward that accumulates into t.grad. */
export function registerPostAccumulateGradHook(t: Tensor, hook: (t: Tensor) => void): RemovableHandle {
  let set = hooks.get(t);
  if (set === undefined) {
    set = new Set();
    hooks.set(t, set);
  }
  const own = set;
  own.add(hook);
  return {
    remove: () => {
      own.delete(hook);
    },
  };
}

/** Runs t's hooks; the engine calls it once t.grad holds this backward's gradient. */
export function runPostAccumulateGradHooks(t: Tensor): void {
  const set = hooks.get(t);
  if (set === undefined) return;
  for (const hook of [...set]) hook(t);
}
