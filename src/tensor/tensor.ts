// src/tensor/tensor.ts — Tensor: a storage, a layout (shape, strides, offset) and autograd slots.
import { type DataArray, type DType, isFloating } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { contiguousStrides, isContiguousLayout, type Shape, storageNumel } from '../core/shape.js';
import type { Backend, Storage, View } from '../backends/backend.js';
import { backend, backendFor } from '../backends/select.js';
import { hostArray, hostStorage, isCpuStorage, TorchDevice } from './device.js';
import { Size } from './size.js';

export type { Device } from '../backends/backend.js';

/** What `tolist()` returns: nested arrays of numbers (booleans for bool tensors). */
export type NestedList = number | boolean | NestedList[];

/**
 * The autograd node that produced a tensor. Declared here so that tensor/ does not import
 * autograd/; autograd's Node implements it.
 */
export interface GradNode {
  /** PyTorch's class name for the node, e.g. `MulBackward0`. */
  readonly name: string;
}

/** A multi-dimensional array with PyTorch's semantics: views share storage, autograd tracks ops. */
export class Tensor {
  readonly storage: Storage;
  /** The dims as a plain array; `shape` and `size()` give them as a torch.Size. */
  readonly dims: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  /** The tensor whose storage this view shares, or null when it owns its storage. */
  readonly base: Tensor | null;
  /** The op that produced this tensor (null for leaves). */
  gradFn: GradNode | null = null;
  /** The accumulated gradient of a leaf after backward(). */
  grad: Tensor | null = null;
  /** Whether non-leaf gradients are kept in `.grad` (see retainGrad()). */
  retainsGrad = false;
  private requires = false;
  private sizeCache: Size | null = null;

  constructor(storage: Storage, dims: readonly number[], strides?: readonly number[], offset = 0, base: Tensor | null = null) {
    this.storage = storage;
    this.dims = dims;
    this.strides = strides ?? contiguousStrides(dims);
    this.offset = offset;
    this.base = base;
  }

  /** The dims as a torch.Size (built on first use: internal code reads `dims`). */
  get shape(): Size {
    return (this.sizeCache ??= Size.of_(this.dims));
  }

  get dtype(): DType {
    return this.storage.dtype;
  }

  /** The device the elements live on, as a torch.device value printing `cpu` or `webgpu:0`. */
  get device(): TorchDevice {
    return TorchDevice.of(this.storage.device);
  }

  get isCuda(): boolean {
    return false;
  }

  /** torch.Size of the tensor, or the size of one dim. */
  size(): Size;
  size(dim: number): number;
  size(dim?: number): Size | number {
    if (dim === undefined) return this.shape;
    const d = dim < 0 ? dim + this.dims.length : dim;
    if (d < 0 || d >= this.dims.length) {
      throw new RuntimeError(
        `size: Dimension out of range (expected to be in range of [${-this.dims.length}, ${this.dims.length - 1}], but got ${dim})`,
      );
    }
    return this.dims[d];
  }

  /** The strides of the tensor, or the stride of one dim. */
  stride(): number[];
  stride(dim: number): number;
  stride(dim?: number): number[] | number {
    if (dim === undefined) return [...this.strides];
    return this.strides[dim < 0 ? dim + this.dims.length : dim];
  }

  storageOffset(): number {
    return this.offset;
  }

  /** Number of dims. */
  dim(): number {
    return this.dims.length;
  }

  get ndim(): number {
    return this.dims.length;
  }

  /** Number of elements. */
  numel(): number {
    let n = 1;
    for (const d of this.dims) n *= d;
    return n;
  }

  isContiguous(): boolean {
    return isContiguousLayout(this.dims, this.strides);
  }

  isFloatingPoint(): boolean {
    return isFloating(this.dtype);
  }

  /** How many times the storage has been modified in place (PyTorch's `_version`). */
  get version(): number {
    return this.storage.version;
  }

  get requiresGrad(): boolean {
    return this.requires;
  }

  set requiresGrad(value: boolean) {
    this.requiresGrad_(value);
  }

  /** A leaf is a tensor not produced by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Sets requiresGrad on a leaf, as PyTorch's requires_grad_. */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf) {
      if (!requiresGrad) {
        throw new RuntimeError(
          'requiresGrad_: you can only change requires_grad flags of leaf variables. If you want to use a computed ' +
            'variable in a subgraph that doesn\'t require differentiation use var_no_grad = var.detach().',
        );
      }
      return this;
    }
    if (requiresGrad && !isFloating(this.dtype)) {
      throw new RuntimeError(`requiresGrad_: only Tensors of floating point dtype can require gradients (got ${this.dtype})`);
    }
    this.requires = requiresGrad;
    return this;
  }

  /** Marks the tensor as produced by `node` (used by autograd only). */
  setGradFn(node: GradNode | null): void {
    this.gradFn = node;
    this.requires = node !== null || (this.requires && this.isLeaf);
  }

  /** The storage and layout as a backend kernel takes them. */
  kernelView(): View {
    return { storage: this.storage, shape: this.dims, strides: this.strides, offset: this.offset };
  }

  /** A new tensor sharing this storage with another layout; the result is a view of this one. */
  asView(dims: readonly number[], strides: readonly number[], offset: number): Tensor {
    return new Tensor(this.storage, dims, strides, offset, this.base ?? this);
  }

  /**
   * Takes `t`'s storage and layout in place of this tensor's, keeping this object, its autograd
   * flags and its `grad`: PyTorch's `x.data = t`. Only Module.to uses it, so that moving or
   * converting a model keeps its Parameter objects (and the optimizers that hold them) valid.
   */
  setData(t: Tensor): void {
    // The layout fields are readonly to every other caller; this is the one sanctioned replacement.
    Object.assign(this, { storage: t.storage, dims: t.dims, strides: t.strides, offset: t.offset, base: t.base, sizeCache: null });
  }

  /** The single value of a one-element tensor (a CPU tensor; see itemAsync). */
  item(): number {
    checkOneElement('item', this);
    return hostStorage('item', this, 'await x.itemAsync()').data[this.offset];
  }

  /** The elements in row-major order as a fresh typed array of the tensor's dtype (a CPU tensor; see data()). */
  toArray(): DataArray {
    return hostArray('toArray', this, 'await x.data()');
  }

  /** The elements as nested arrays (numbers, or booleans for bool tensors) (a CPU tensor; see tolistAsync). */
  tolist(): NestedList {
    return nest(hostArray('tolist', this, 'await x.tolistAsync()'), this.dims, this.dtype === 'bool');
  }

  /**
   * The elements in row-major order as a fresh typed array, on every device: a device tensor's
   * arrive once the work queued before the call has run.
   * @example await torch.tensor([1, 2]).data() // Float32Array [1, 2]
   */
  data(): Promise<DataArray> {
    if (isCpuStorage(this.storage)) return Promise.resolve(this.toArray());
    const be = backendFor(this.storage.device);
    return be.readAsync(denseStorage(be, this));
  }

  /**
   * Frees a device tensor's memory now instead of when it is garbage collected (a no-op on the CPU);
   * it, and every view sharing its storage, is unusable afterwards (Note [Device memory]).
   */
  dispose(): void {
    this.storage.dispose?.();
  }

  /** Async twin of item(), on every device. */
  async itemAsync(): Promise<number> {
    checkOneElement('itemAsync', this);
    return (await this.data())[0];
  }

  /** Async twin of tolist(), on every device. */
  async tolistAsync(): Promise<NestedList> {
    return nest(await this.data(), this.dims, this.dtype === 'bool');
  }

  /**
   * A CPU tensor with this tensor's values: this tensor itself on the CPU, else a copy read back
   * from the device (outside autograd, as `detach()` would be).
   */
  async cpuAsync(): Promise<Tensor> {
    if (isCpuStorage(this.storage)) return this;
    const values = await this.data();
    return new Tensor(backend().fromArray(this.dtype, values), this.dims);
  }
}

function checkOneElement(op: string, t: Tensor): void {
  if (t.numel() !== 1) throw new RuntimeError(`${op}: a Tensor with ${t.numel()} elements cannot be converted to Scalar`);
}

/** A storage holding exactly t's elements in row-major order: t's own when it is one, else a copy on t's backend. */
function denseStorage(be: Backend, t: Tensor): Storage {
  const n = t.numel();
  if (t.isContiguous() && t.offset === 0 && n === t.storage.numel) return t.storage;
  const out = be.alloc(t.dtype, n);
  be.copy(t.kernelView(), { storage: out, shape: t.dims, strides: contiguousStrides(t.dims), offset: 0 });
  return out;
}

/** Row-major elements as nested arrays of `dims` (booleans for a bool tensor). */
function nest(flat: DataArray, dims: readonly number[], isBool: boolean): NestedList {
  let i = 0;
  const build = (d: number): NestedList => {
    if (d === dims.length) {
      const v = flat[i++];
      return isBool ? v !== 0 : v;
    }
    const out: NestedList[] = [];
    for (let k = 0; k < dims[d]; k++) out.push(build(d + 1));
    return out;
  };
  return build(0);
}

/** A fresh contiguous tensor on `be` whose elements the caller will all overwrite (not zero-filled). */
export function uninitTensor(be: Backend, dims: Shape, dtype: DType): Tensor {
  const n = storageNumel(dims);
  return new Tensor(be.allocUninit?.(dtype, n) ?? be.alloc(dtype, n), dims);
}

/** A fresh contiguous tensor on `be` of the given shape and dtype, zero-filled. */
export function emptyTensor(be: Backend, dims: Shape, dtype: DType): Tensor {
  const n = storageNumel(dims);
  return new Tensor(be.alloc(dtype, n), dims);
}
