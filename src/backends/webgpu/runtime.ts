// src/backends/webgpu/runtime.ts — the WebGPU device as kernels see it: pooled buffers, batched dispatches with
// their parameters in one arena, cached pipelines, and reads (the one point that waits).
import type { DType } from '../../core/dtype.js';
import { AllocationError } from '../../core/errors.js';
import type { Storage } from '../backend.js';
import type { GpuStorage } from './storage.js';

// Note [Dispatch batching]
// Kernels only encode: each dispatch goes into the open command encoder with its parameters (shapes,
// strides, offsets, scalars) written to its own 256-byte slot of a CPU-side arena. Every BATCH dispatches,
// and before any read, the arena is uploaded with one writeBuffer into the parameter buffer and the encoder
// is submitted: the queue runs the write before that command buffer, and after the previous one, so a
// single parameter buffer serves every batch. Pipelines are cached by their WGSL source, which depends on
// the op, dtypes and rank, never on sizes, so a training loop compiles each kernel once.
const BATCH = 16;
/** Bytes of parameters a dispatch may use (the minimum storage-binding offset alignment WebGPU allows). */
export const SLOT_BYTES = 256;
const SLOT_WORDS = SLOT_BYTES / 4;
/** Threads per workgroup of the 1-D kernels. */
export const WORKGROUP = 256;

// Note [Buffer pool]
// Buffers are pooled by power-of-two size. A buffer released while commands that use it are still being
// encoded waits for that submit before it can be handed out again (its old contents are then only ever
// overwritten by later commands, which the queue orders after the earlier ones). Idle pooled bytes are
// capped; beyond the cap buffers are destroyed.
const MIN_BUCKET = 256;
const IDLE_CAP = 256 * 2 ** 20;

const USAGE_STORAGE = 0x80, USAGE_COPY_SRC = 0x04, USAGE_COPY_DST = 0x08, USAGE_MAP_READ = 0x01, MAP_READ = 0x1;

/** How a dtype's elements are stored in a WebGPU buffer: 32 bits each (WGSL has no 64-bit or byte types). */
export type Element = 'f32' | 'i32' | 'u32';
export const ELEMENT: Readonly<Record<DType, Element | null>> = {
  float32: 'f32', int32: 'i32', int64: 'i32', bool: 'u32', uint8: 'u32', float64: null,
};

/** One buffer binding of a dispatch. */
export type Binding = GPUBuffer;

/** The parameters of one dispatch, written into its arena slot. */
export class Params {
  private at = 0;
  constructor(private readonly words: Uint32Array, private readonly floats: Float32Array, private readonly start: number, private readonly end: number) {}
  /** Appends unsigned or non-negative integers. */
  u32(...values: readonly number[]): this {
    for (const v of values) this.words[this.next()] = v;
    return this;
  }
  /** Appends signed integers (two's complement). */
  i32(...values: readonly number[]): this {
    for (const v of values) this.words[this.next()] = v | 0;
    return this;
  }
  /** Appends float32 values (read in WGSL with bitcast<f32>). */
  f32(...values: readonly number[]): this {
    for (const v of values) this.floats[this.next()] = v;
    return this;
  }
  private next(): number {
    const i = this.start + this.at++;
    if (i >= this.end) throw new Error('webgpu: a dispatch has more parameters than its slots hold');
    return i;
  }
}

/** The device, its pools and the open batch. One per process (per `GPUDevice`). */
export class GpuRuntime {
  private encoder: GPUCommandEncoder | null = null;
  /** The open compute pass: consecutive dispatches share one (copies and clears end it). */
  private pass: GPUComputePassEncoder | null = null;
  private readonly sources = new Map<string, string>();
  private dispatches = 0;
  private readonly arena: Uint32Array;
  private readonly arenaFloats: Float32Array;
  private arenaUsed = 0;
  private readonly paramBuffer: GPUBuffer;
  private readonly pipelines = new Map<string, [GPUComputePipeline, GPUBindGroupLayout]>();
  private readonly free = new Map<number, GPUBuffer[]>();
  private pendingFree: GPUBuffer[] = [];
  private idleBytes = 0;
  /** Bytes held by live storages (torch.webgpu.memoryAllocated). */
  allocatedBytes = 0;
  /** The storages each open scope has recorded, innermost last (Note [Device memory] in backend.ts). */
  readonly scopes: GpuStorage[][] = [];
  /** Validation and out-of-memory errors the device reported without a scope (the tests require none). */
  readonly errors: string[] = [];

  constructor(readonly device: GPUDevice) {
    this.arena = new Uint32Array((BATCH * SLOT_BYTES) / 4 * 4);
    this.arenaFloats = new Float32Array(this.arena.buffer);
    this.paramBuffer = device.createBuffer({ size: this.arena.byteLength, usage: USAGE_STORAGE | USAGE_COPY_DST });
    device.addEventListener('uncapturederror', (event) => {
      this.errors.push((event).error.message);
    });
  }

  /** Bytes of every buffer the pool holds: live storages' and idle ones (torch.webgpu.memoryReserved). */
  get reservedBytes(): number {
    let pending = 0;
    for (const b of this.pendingFree) pending += b.size;
    return this.allocatedBytes + this.idleBytes + pending;
  }

  /** A buffer of at least `bytes` bytes (a power of two, at least 256) for a storage; contents unspecified. */
  acquire(bytes: number): GPUBuffer {
    const { maxBufferSize, maxStorageBufferBindingSize } = this.device.limits;
    const limit = Math.min(maxBufferSize, maxStorageBufferBindingSize);
    if (bytes > limit) {
      throw new AllocationError(`webgpu: a tensor of ${bytes} bytes does not fit the device's largest buffer binding (${limit} bytes)`);
    }
    // A bucket may not outgrow the limit that the request itself respects.
    const size = Math.min(bucketOf(bytes), limit - (limit % 4));
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.idleBytes -= size;
      this.allocatedBytes += size;
      return reused;
    }
    const buffer = this.device.createBuffer({ size, usage: USAGE_STORAGE | USAGE_COPY_SRC | USAGE_COPY_DST });
    this.allocatedBytes += size;
    return buffer;
  }

  /** Returns a storage's buffer to the pool (after the open batch is submitted, when it uses it). */
  release(buffer: GPUBuffer): void {
    this.allocatedBytes -= buffer.size;
    if (this.encoder === null) this.recycle(buffer);
    else this.pendingFree.push(buffer);
  }

  private recycle(buffer: GPUBuffer): void {
    if (this.idleBytes + buffer.size > IDLE_CAP) {
      buffer.destroy();
      return;
    }
    const list = this.free.get(buffer.size) ?? [];
    list.push(buffer);
    this.free.set(buffer.size, list);
    this.idleBytes += buffer.size;
  }

  /** Starts recording new storages. */
  openScope(): void {
    this.scopes.push([]);
  }

  /** Disposes the innermost scope's storages except `keep`, which the enclosing scope takes over. */
  closeScope(keep: ReadonlySet<Storage>): void {
    const recorded = this.scopes.pop() ?? [];
    const outer = this.scopes.at(-1);
    for (const s of recorded) {
      if (!keep.has(s)) s.dispose();
      else outer?.push(s);
    }
  }

  /** Destroys every idle pooled buffer (torch.webgpu.emptyCache). */
  emptyCache(): void {
    this.flush();
    for (const list of this.free.values()) for (const b of list) b.destroy();
    this.free.clear();
    this.idleBytes = 0;
  }

  /**
   * The WGSL of a kernel family member named by `key` (op, dtypes, rank: everything its source depends on),
   * built once: hot ops then neither rebuild their source nor hash a long new string per dispatch.
   */
  source(key: string, build: () => string): string {
    let code = this.sources.get(key);
    if (code === undefined) this.sources.set(key, (code = build()));
    return code;
  }

  /** The compute pipeline of a WGSL module (entry point `main`) and its bind group layout, made once. */
  pipeline(code: string): [GPUComputePipeline, GPUBindGroupLayout] {
    let p = this.pipelines.get(code);
    if (p === undefined) {
      const pipeline = this.device.createComputePipeline({ layout: 'auto', compute: { module: this.device.createShaderModule({ code }), entryPoint: 'main' } });
      this.pipelines.set(code, (p = [pipeline, pipeline.getBindGroupLayout(0)]));
    }
    return p;
  }

  /**
   * Encodes one dispatch of `code` over `workgroups` (x, y, z), binding `buffers` at 0.. and its parameters
   * (written by `params`, `slots` × 256 bytes) at the next binding.
   */
  dispatch(code: string, buffers: readonly Binding[], workgroups: readonly [number, number?, number?], params: (p: Params) => void, slots = 1): void {
    if (this.arenaUsed + slots * SLOT_WORDS > this.arena.length) this.flush();
    const start = this.arenaUsed;
    this.arenaUsed += slots * SLOT_WORDS;
    this.arena.fill(0, start, this.arenaUsed);
    params(new Params(this.arena, this.arenaFloats, start, this.arenaUsed));
    const [pipeline, layout] = this.pipeline(code);
    const entries: GPUBindGroupEntry[] = buffers.map((buffer, i) => ({ binding: i, resource: { buffer } }));
    entries.push({ binding: buffers.length, resource: { buffer: this.paramBuffer, offset: start * 4, size: slots * SLOT_BYTES } });
    const bindGroup = this.device.createBindGroup({ layout, entries });
    // Dispatches in one pass are still ordered: each is its own usage scope, with barriers between them.
    const pass = (this.pass ??= this.openEncoder().beginComputePass());
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
    if (++this.dispatches >= BATCH) this.flush();
  }

  /** Encodes a buffer-to-buffer copy (whole 4-byte words). */
  copyBuffer(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (bytes > 0) this.outsidePass().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
  }

  /** Encodes zeroing the first `bytes` bytes of a buffer. */
  clear(buffer: GPUBuffer, bytes: number): void {
    if (bytes > 0) this.outsidePass().clearBuffer(buffer, 0, align4(bytes));
  }

  /**
   * Writes host bytes into a buffer that no command encoded since the last submit uses (a freshly acquired one
   * never is): the queue runs the write before the open batch, which may then read it.
   */
  write(buffer: GPUBuffer, data: ArrayBufferView): void {
    if (data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
  }

  /** Submits the open batch (Note [Dispatch batching]). */
  flush(): void {
    if (this.encoder === null) return;
    this.outsidePass();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.paramBuffer, 0, this.arena.buffer, 0, this.arenaUsed * 4);
    this.device.queue.submit([this.encoder.finish()]);
    this.encoder = null;
    this.dispatches = 0;
    this.arenaUsed = 0;
    const freed = this.pendingFree;
    this.pendingFree = [];
    for (const b of freed) this.recycle(b);
  }

  /** `bytes` bytes of `buffer` from `offset`, once all work queued before the call has run. */
  async read(buffer: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
    const size = align4(Math.max(bytes, 4));
    const staging = this.device.createBuffer({ size, usage: USAGE_MAP_READ | USAGE_COPY_DST });
    this.outsidePass().copyBufferToBuffer(buffer, offset, staging, 0, size);
    this.flush();
    await staging.mapAsync(MAP_READ);
    const out = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    staging.destroy();
    this.throwErrors();
    return out;
  }

  /** Resolves when every command submitted so far has finished. */
  async synchronize(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.throwErrors();
  }

  private throwErrors(): void {
    if (this.errors.length > 0) throw new Error(`webgpu: the device reported: ${this.errors.join('; ')}`);
  }

  private openEncoder(): GPUCommandEncoder {
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  /** The open encoder with no compute pass open, for copies and clears. */
  private outsidePass(): GPUCommandEncoder {
    this.pass?.end();
    this.pass = null;
    return this.openEncoder();
  }
}

function bucketOf(bytes: number): number {
  let size = MIN_BUCKET;
  while (size < bytes) size *= 2;
  return size;
}

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

/** Workgroup counts (x, y) covering `n` threads in workgroups of WORKGROUP, within the per-dimension limit. */
export function grid(n: number, maxPerDimension: number): [number, number] {
  const groups = Math.max(1, Math.ceil(n / WORKGROUP));
  if (groups <= maxPerDimension) return [groups, 1];
  const y = Math.ceil(groups / maxPerDimension);
  return [Math.ceil(groups / y), y];
}
