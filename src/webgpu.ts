// src/webgpu.ts — torch.webgpu, kindling's torch.cuda: the GPU device's state, and the scope that frees
// a tight loop's device memory without waiting for the garbage collector (Note [Device memory]).
import type { Storage } from './backends/backend.js';
import { deviceBackend, whyUnavailable } from './backends/select.js';
import { RuntimeError } from './core/errors.js';
import { Module } from './nn/modules/module.js';
import { Optimizer } from './optim/optimizer.js';
import { Tensor } from './tensor/tensor.js';

/** What a scope keeps: tensors, modules, optimizers, and arrays or plain objects of them. */
export type Keepable = Tensor | Module | Optimizer | readonly Keepable[] | { readonly [key: string]: Keepable };

/** Adds the storages `value` holds: tensors and their gradients, modules' parameters and buffers, optimizers' state. */
function collect(value: unknown, into: Set<Storage>, seen: Set<unknown>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) {
    into.add(value.storage);
    collect(value.grad, into, seen);
  } else if (value instanceof Module) {
    collect(value.parameters(), into, seen);
    collect(value.buffers(), into, seen);
  } else if (value instanceof Optimizer) {
    for (const [p, state] of value.state) {
      collect(p, into, seen);
      collect(state, into, seen);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) collect(v, into, seen);
  } else if (Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) collect(v, into, seen);
  }
}

/**
 * torch.webgpu: the GPU device's state. Without a WebGPU adapter it answers honestly: not available,
 * nothing allocated, nothing to wait for.
 */
export const webgpu = {
  /** Whether a WebGPU device was found, so that tensors can live on 'webgpu'. */
  isAvailable: (): boolean => deviceBackend('webgpu') !== null,
  /** Resolves once all work queued on the GPU has finished (before timing, as torch.cuda.synchronize). */
  synchronize: (): Promise<void> => deviceBackend('webgpu')?.synchronize() ?? Promise.resolve(),
  /** Bytes held by live GPU tensors (torch.cuda.memory_allocated). */
  memoryAllocated: (): number => deviceBackend('webgpu')?.memoryAllocated?.() ?? 0,
  /** Bytes the GPU's buffer pool holds, live and cached (torch.cuda.memory_reserved). */
  memoryReserved: (): number => deviceBackend('webgpu')?.memoryReserved?.() ?? 0,
  /** The GPU's name as its driver reports it (torch.cuda.get_device_name); throws without one. */
  getDeviceName: (): string => {
    const be = deviceBackend('webgpu');
    if (be?.deviceName === undefined) throw new RuntimeError(`getDeviceName: no WebGPU device: ${whyUnavailable()}`);
    return be.deviceName();
  },
  /** Releases cached, unused GPU memory (torch.cuda.empty_cache). */
  emptyCache: (): void => {
    deviceBackend('webgpu')?.emptyCache?.();
  },
  /**
   * Runs `fn` and then frees the GPU memory of every tensor it created, except what it returns and what
   * `keep` holds (modules: parameters, gradients and buffers; optimizers: their state), for loops that do
   * not await between steps. A freed tensor used later throws. On the CPU it only runs `fn`.
   * @example torch.webgpu.scope(() => { opt.zeroGrad(); lossFn(model(x), y).backward(); opt.step(); }, { keep: [model, opt] })
   */
  scope<T>(fn: () => T, { keep = [] }: { keep?: readonly Keepable[] } = {}): T {
    const be = deviceBackend('webgpu');
    if (be?.openScope === undefined || be.closeScope === undefined) return fn();
    be.openScope();
    const kept = new Set<Storage>();
    let result: T | undefined;
    try {
      result = fn();
      if (result instanceof Promise) throw new RuntimeError('scope: fn must be synchronous (an async function would record other work\'s tensors)');
    } finally {
      collect([result, keep], kept, new Set());
      be.closeScope(kept);
    }
    return result;
  },
};
