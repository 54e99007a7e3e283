// src/backends/webgpu/storage.ts — a tensor's elements in a pooled GPUBuffer, returned to the pool when the
// storage is collected or disposed.
import type { DType } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import type { Storage, View } from '../backend.js';
import type { GpuRuntime } from './runtime.js';

/** Hands a collected storage's buffer back to its runtime's pool (a backstop: `dispose()` is the prompt way). */
const collected = new FinalizationRegistry<{ runtime: GpuRuntime; buffer: GPUBuffer }>(({ runtime, buffer }) => {
  runtime.release(buffer);
});

/** A storage on the webgpu device: `numel` 32-bit elements in `buffer` (Note [Buffer pool] in runtime.ts). */
export class GpuStorage implements Storage {
  readonly device = 'webgpu' as const;
  version = 0;
  private held: GPUBuffer | null;

  constructor(private readonly runtime: GpuRuntime, readonly dtype: DType, readonly numel: number) {
    this.held = runtime.acquire(Math.max(numel, 1) * 4);
    collected.register(this, { runtime, buffer: this.held }, this);
    runtime.scopes.at(-1)?.push(this);
  }

  /** The buffer; a disposed storage has none. */
  get buffer(): GPUBuffer {
    if (this.held === null) {
      throw new RuntimeError('webgpu: this tensor\'s memory was freed, by dispose() or by a torch.webgpu.scope that did not keep it');
    }
    return this.held;
  }

  /** Returns the buffer to the pool now instead of when the garbage collector finds the storage. */
  dispose(): void {
    if (this.held === null) return;
    collected.unregister(this);
    this.runtime.release(this.held);
    this.held = null;
  }
}

/** A strided window onto a GPU storage; counts in elements. */
export type GpuView = View<GpuStorage>;
