// src/tensor/tensor.ts — Tensor: a storage, a layout (shape, strides, offset) and autograd slots.
import { type DType, isFloating } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { contiguousStrides, isContiguousLayout, type Shape, storageNumel } from '../core/shape.js';
import type { Storage, View } from '../backends/backend.js';
import { backend } from '../backends/select.js';
import { Size } from './size.js';

/** The device a tensor lives on. */
export type Device = 'cpu';

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

  get device(): Device {
    return 'cpu';
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

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.numel() !== 1) {
      throw new RuntimeError(`item: a Tensor with ${this.numel()} elements cannot be converted to Scalar`);
    }
    return backend().read(this.storage)[this.offset];
  }

  /** The elements in row-major order as a fresh typed array of the tensor's dtype. */
  toArray(): Storage['data'] {
    const be = backend();
    if (this.isContiguous()) {
      const data = be.read(this.storage);
      return data.slice(this.offset, this.offset + this.numel());
    }
    const out = be.alloc(this.dtype, this.numel());
    be.copy(this.kernelView(), { storage: out, shape: this.dims, strides: contiguousStrides(this.dims), offset: 0 });
    return be.read(out);
  }

  /** The elements as nested arrays (numbers, or booleans for bool tensors). */
  tolist(): NestedList {
    const flat = this.toArray();
    const isBool = this.dtype === 'bool';
    let i = 0;
    const build = (d: number): NestedList => {
      if (d === this.dims.length) {
        const v = flat[i++];
        return isBool ? v !== 0 : v;
      }
      const out: NestedList[] = [];
      for (let k = 0; k < this.dims[d]; k++) out.push(build(d + 1));
      return out;
    };
    return build(0);
  }

  /** Async twin of toArray(): the one point where a device backend waits for its queue. */
  data(): Promise<Storage['data']> {
    return Promise.resolve(this.toArray());
  }

  /** Async twin of tolist(). */
  tolistAsync(): Promise<NestedList> {
    return Promise.resolve(this.tolist());
  }
}

/** A fresh contiguous tensor whose elements the caller will all overwrite (not zero-filled). */
export function uninitTensor(dims: Shape, dtype: DType): Tensor {
  const n = storageNumel(dims);
  const be = backend();
  return new Tensor(be.allocUninit?.(dtype, n) ?? be.alloc(dtype, n), dims);
}

/** A fresh contiguous tensor of the given shape and dtype, zero-filled. */
export function emptyTensor(dims: Shape, dtype: DType): Tensor {
  const n = storageNumel(dims);
  return new Tensor(backend().alloc(dtype, n), dims);
}
