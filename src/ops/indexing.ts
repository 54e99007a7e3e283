// src/ops/indexing.ts — joining and splitting (cat, stack, split, chunk, unbind) and index ops
// (indexSelect, gather, scatterAdd, indexAdd, maskedSelect), each with its gradient.
import { type DType, promoteTypes, TYPE_NAMES } from '../core/dtype.js';
import { IndexError, RuntimeError } from '../core/errors.js';
import { broadcastShapes, contiguousStrides, fmtShape, numelOf, sameShape, wrapDim } from '../core/shape.js';
import type { View } from '../backends/backend.js';
import { noGrad } from '../autograd/grad-mode.js';
import { Node } from '../autograd/node.js';
import { tensor, zeros } from '../tensor/creation.js';
import { deviceName, hostArray, isCpuStorage, type TorchDevice } from '../tensor/device.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineOp, denseView, edgeOf, expandTo, isRecording, type Meta } from './define.js';
import { mul } from './elementwise.js';
import { scalarView } from './operands.js';
import { narrow, reshape, select } from './views.js';

// Note [Legacy empty tensors in cat]
// PyTorch's cat skips 1-D tensors of size 0 whatever the other inputs' shapes, a rule kept from
// before empty tensors had shapes; they take no part in the shape checks and get an empty gradient.
const isSkipped = (x: Tensor): boolean => x.dims.length === 1 && x.dims[0] === 0;

interface Join {
  readonly dim: number;
  readonly stack: boolean;
}

/** cat (inputs joined along `dim`) and stack (inputs placed at positions of a new `dim`). */
function joinOp(gradFn: string) {
  return defineOp<Join>({
    name: gradFn === 'CatBackward0' ? 'cat' : 'stack',
    gradFn,
    meta: (inputs, { dim, stack }): Meta => {
      const dtype = inputs.map((x) => x.dtype).reduce(promoteTypes);
      const kept = inputs.filter((x) => !isSkipped(x));
      if (kept.length === 0) return { shape: [0], dtype, cast: dtype };
      const first = kept[0];
      if (stack) return { shape: [...first.dims.slice(0, dim), inputs.length, ...first.dims.slice(dim)], dtype, cast: dtype };
      const shape = [...first.dims];
      shape[dim] = kept.reduce((n, x) => n + x.dims[dim], 0);
      return { shape, dtype, cast: dtype };
    },
    // The pieces tile the output.
    overwrites: true,
    forward: (be, inputs, out, { dim, stack }) => {
      const kept = inputs.filter((v) => stack || v.shape.length !== 1 || v.shape[0] !== 0);
      if (kept.length === 0) return;
      const first = kept[0].shape;
      const shape = stack
        ? [...first.slice(0, dim), kept.length, ...first.slice(dim)]
        : replaceAt(first, dim, kept.reduce((n, v) => n + v.shape[dim], 0));
      const strides = contiguousStrides(shape);
      const inner = stack ? strides.filter((_, i) => i !== dim) : strides;
      let at = 0;
      for (const v of kept) {
        // An empty piece writes nothing, and its offset may lie past the end of `out`.
        if (numelOf(v.shape) > 0) be.copy(v, { storage: out, shape: v.shape, strides: inner, offset: at * strides[dim] });
        at += stack ? 1 : v.shape[dim];
      }
    },
    backward: (g, inputs, _, { dim, stack }) => {
      let at = 0;
      return inputs.map((x) => {
        if (stack) return select(g, dim, at++);
        if (isSkipped(x)) return zeros(0, { dtype: g.dtype, device: g.storage.device });
        const part = narrow(g, dim, at, x.dims[dim]);
        at += x.dims[dim];
        return part;
      });
    },
    saves: 'none',
  });
}

function replaceAt(dims: readonly number[], dim: number, n: number): number[] {
  const out = [...dims];
  out[dim] = n;
  return out;
}

const catOp = joinOp('CatBackward0');
const stackOp = joinOp('StackBackward0');

/** Concatenates tensors along an existing dim, promoting dtypes (torch.cat). */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError('cat: torch.cat(): expected a non-empty list of Tensors');
  tensors.forEach((x, i) => {
    if (x.dims.length === 0) throw new RuntimeError(`cat: zero-dimensional tensor (at position ${i}) cannot be concatenated`);
  });
  const kept = tensors.map((x, i) => [x, i] as const).filter(([x]) => !isSkipped(x));
  if (kept.length === 0) return catOp(tensors, { dim: 0, stack: false });
  const [first] = kept[0];
  const d = wrapDim(dim, first.dims.length, 'cat');
  for (const [x, i] of kept) {
    if (x.dims.length !== first.dims.length) {
      throw new RuntimeError(`cat: Tensors must have same number of dimensions: got ${first.dims.length} and ${x.dims.length}`);
    }
    x.dims.forEach((n, j) => {
      if (j !== d && n !== first.dims[j]) {
        throw new RuntimeError(
          `cat: Sizes of tensors must match except in dimension ${d}. Expected size ${first.dims[j]} but got size ${n} ` +
            `for tensor number ${i} in the list.`,
        );
      }
    });
  }
  return catOp(tensors, { dim: d, stack: false });
}

/** Joins equally shaped tensors along a new dim (torch.stack). */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new RuntimeError('stack: stack expects a non-empty TensorList');
  const first = tensors[0];
  tensors.forEach((x, i) => {
    if (!sameShape(x.dims, first.dims)) {
      throw new RuntimeError(
        `stack: stack expects each tensor to be equal size, but got ${fmtShape(first.dims)} at entry 0 and ${fmtShape(x.dims)} at entry ${i}`,
      );
    }
  });
  return stackOp(tensors, { dim: wrapDim(dim, first.dims.length + 1, 'stack'), stack: true });
}

const MAX_ARRAY_LENGTH = 2 ** 32 - 1;

/** A list of `count` tensors must fit a JavaScript array. */
function checkPieces(op: string, count: number): void {
  if (count > MAX_ARRAY_LENGTH) throw new RuntimeError(`${op}: cannot return ${count} tensors; a list holds at most ${MAX_ARRAY_LENGTH}`);
}

// The views of split and unbind share one backward node, as PyTorch's SplitBackward0, SplitWithSizesBackward0
// and UnbindBackward0: the pieces' gradients are joined by one cat (or stack), where a SliceBackward0 per
// piece would give each a zero-filled gradient of the whole tensor, summed after.

/** What a node hands the engine in place of a gradient that a collecting node gathers itself (the collector ignores it). */
export const NO_GRAD = zeros(0);

/** One piece's node: gives its gradient to the join and the engine a placeholder. */
class PieceBackward extends Node {
  constructor(readonly name: string, private readonly join: JoinPieces, readonly index: number) {
    super([join]);
  }
  apply(g: Tensor): (Tensor | null)[] {
    this.join.grads[this.index] = g;
    return [NO_GRAD];
  }
}

/**
 * The pieces' gradients joined into the split tensor's with one cat, or for unbind's pieces (`sizes`
 * null: one index each, dim removed) one stack, with zeros for pieces without one, once every piece has
 * given its own: the engine runs it after all of its consumers.
 */
class JoinPieces extends Node {
  grads: (Tensor | null)[];
  private readonly dims: readonly number[];
  private readonly dtype: DType;
  private readonly device: TorchDevice;
  constructor(readonly name: string, x: Tensor, private readonly dim: number, private readonly sizes: readonly number[] | null) {
    super([edgeOf(x)]);
    [this.dims, this.dtype, this.device] = [x.dims, x.dtype, x.device];
    this.grads = new Array<Tensor | null>(sizes?.length ?? x.dims[dim]).fill(null);
  }
  apply(): (Tensor | null)[] {
    const { dims, dim, sizes } = this;
    const shape = (i: number): number[] => (sizes === null ? dims.filter((_, d) => d !== dim) : dims.map((n, d) => (d === dim ? sizes[i] : n)));
    const parts = this.grads.map((g, i) => g ?? zeros(shape(i), { dtype: this.dtype, device: this.device }));
    this.grads.fill(null);
    if (sizes === null) return [stack(parts, dim)];
    return [parts.length === 1 ? parts[0] : cat(parts, dim)];
  }
}

/**
 * Consecutive pieces of `x` along `dim` of the given sizes, or with `sizes` null each index of `dim` with
 * the dim removed (unbind), as views; under autograd their gradients meet in one node named `gradFn` that
 * joins them.
 */
function splitViews(x: Tensor, dim: number, sizes: readonly number[] | null, gradFn: string): Tensor[] {
  let at = 0;
  const views = noGrad(() => (sizes === null
    ? Array.from({ length: x.dims[dim] }, (_, i) => select(x, dim, i))
    : sizes.map((n) => {
      const piece = narrow(x, dim, at, n);
      at += n;
      return piece;
    })));
  if (!isRecording([x])) return views;
  const join = new JoinPieces(gradFn, x, dim, sizes);
  views.forEach((v, i) => {
    const node = new PieceBackward(gradFn, join, i);
    node.output = v;
    v.setGradFn(node);
  });
  return views;
}

/**
 * PyTorch's refusal of an in-place op, while autograd records, on a view that a function returning several
 * views made (its gradient is joined with the others', which the write would bypass).
 */
export function checkMultiOutputView(op: string, x: Tensor): void {
  const node = x.gradFn;
  if (!(node instanceof PieceBackward)) return;
  throw new RuntimeError(
    `${op}: Output ${node.index} of ${node.name} is a view and is being modified inplace. This view is the output of a function ` +
      'that returns multiple views. Such functions do not allow the output views to be modified inplace. You should replace ' +
      'the inplace operation by an out-of-place one.',
  );
}

/** Views of consecutive pieces along `dim`: of `size` each (the last may be smaller), or of the listed sizes. */
export function split(x: Tensor, size: number | readonly number[], dim = 0): Tensor[] {
  const d = wrapDim(dim, x.dims.length, 'split');
  const total = x.dims[d];
  let sizes: readonly number[];
  if (typeof size === 'number') {
    if (size < 0 || !Number.isInteger(size)) throw new RuntimeError(`split: split expects split_size be non-negative, but got split_size=${size}`);
    if (size === 0 && total !== 0) {
      throw new RuntimeError(`split: split_size can only be 0 if dimension size is 0, but got dimension size of ${total}`);
    }
    const count = Math.max(Math.ceil(total / Math.max(size, 1)), 1);
    checkPieces('split', count);
    sizes = Array.from({ length: count }, (_, i) => Math.min(size, total - i * size));
  } else {
    sizes = size;
    if (sizes.some((n) => n < 0) || sizes.reduce((a, b) => a + b, 0) !== total) {
      throw new RuntimeError(
        `split: split_with_sizes expects split_sizes to sum exactly to ${total} (input tensor's size at dimension ${d}), ` +
          `but got split_sizes=${fmtShape(sizes)}`,
      );
    }
  }
  return splitViews(x, d, sizes, typeof size === 'number' ? 'SplitBackward0' : 'SplitWithSizesBackward0');
}


/** `chunks` views of nearly equal size along `dim` (fewer when the dim is too short), as torch.chunk. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks <= 0) throw new RuntimeError(`chunk: chunk expects \`chunks\` to be greater than 0, got: ${chunks}`);
  const d = wrapDim(dim, x.dims.length, 'chunk');
  const total = x.dims[d];
  if (total === 0) {
    checkPieces('chunk', chunks);
    return split(x, new Array<number>(chunks).fill(0), d);
  }
  return split(x, Math.ceil(total / chunks), d);
}

/** The slices along `dim` as views, with that dim removed (torch.unbind). */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  const d = wrapDim(dim, x.dims.length, 'unbind');
  checkPieces('unbind', x.dims[d]);
  return splitViews(x, d, null, 'UnbindBackward0');
}

/** Throws PyTorch's error for an index dtype other than those allowed. */
export function checkIndexDtype(op: string, index: Tensor, allowInt32: boolean): void {
  if (index.dtype === 'int64' || (allowInt32 && index.dtype === 'int32')) return;
  throw new RuntimeError(`${op}: Expected dtype ${allowInt32 ? 'int32 or int64' : 'int64'} for index`);
}

/**
 * Checks every index lies in [0, size) (negative indices are errors, as in PyTorch's gather). Only
 * a CPU index is checked: a device's values are not readable synchronously, and out-of-range device
 * indices are undefined behaviour, as PyTorch's CUDA kernels leave them (device-side asserts).
 */
export function checkBounds(index: Tensor, size: number, error: (i: number) => Error): void {
  const storage = index.storage;
  if (!isCpuStorage(storage)) return;
  // A plain indexed loop over the storage: index tensors (e.g. max-pooling's) can be large.
  const dense = index.isContiguous();
  const data = dense ? storage.data : index.toArray();
  const start = dense ? index.offset : 0, end = start + index.numel();
  for (let k = start; k < end; k++) {
    const i = data[k];
    if (!(i >= 0 && i < size)) throw error(i);
  }
}

/** An index vector as a kernel view of `shape` that varies along `dim` only (stride 0 elsewhere). */
function alongDim(index: View, shape: readonly number[], dim: number): View {
  return { ...index, shape, strides: shape.map((_, i) => (i === dim ? index.strides[0] ?? 0 : 0)) };
}

function checkVectorIndex(op: string, x: Tensor, dim: number, index: Tensor, allowInt32: boolean): void {
  checkIndexDtype(op, index, allowInt32);
  if (index.dims.length > 1) throw new IndexError(`${op}: Index is supposed to be a vector`);
  checkBounds(index, x.dims[dim] ?? 1, () => new IndexError(`${op}: index out of range in self`));
}

const indexSelectOp = defineOp<number>({
  name: 'indexSelect',
  gradFn: 'IndexSelectBackward0',
  meta: ([x, index], dim): Meta => {
    checkVectorIndex('index_select()', x, dim, index, true);
    return { shape: x.dims.length === 0 ? [] : replaceAt(x.dims, dim, index.numel()), dtype: x.dtype };
  },
  forward: (be, [x, index], out, dim) => {
    const shape = x.shape.length === 0 ? [] : replaceAt(x.shape, dim, index.shape[0] ?? 1);
    be.gather(x, dim, alongDim(index, shape, dim), out);
  },
  backward: (g, [x, index], _, dim) => [indexAdd(zeros(x.dims, { dtype: g.dtype, device: g.storage.device }), dim, index, g), null],
  saves: 'inputs',
});

/** The entries of `x` at `index` (a 1-D int64 or int32 tensor) along `dim` (torch.index_select). */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  return indexSelectOp([x, index], wrapDim(dim, x.dims.length, 'index_select'));
}

const indexAddOp = defineOp<{ dim: number; alpha: number }>({
  name: 'indexAdd',
  gradFn: 'IndexAddBackward0',
  meta: ([x, index, source], { dim }): Meta => {
    checkVectorIndex('index_add_()', x, dim, index, true);
    if (x.dtype !== source.dtype) {
      throw new RuntimeError(
        `index_add_(): self (${TYPE_NAMES[x.dtype]}) and source (${TYPE_NAMES[source.dtype]}) must have the same scalar type`,
      );
    }
    const n = source.dims.length === 0 ? 1 : source.dims[dim];
    if (n !== index.numel()) {
      throw new RuntimeError(
        `index_add_(): Number of indices (${index.numel()}) should be equal to source.size(dim): (${n}), for dim: ${dim}`,
      );
    }
    if (source.dims.length !== 0 && !sameShape(replaceAt(source.dims, dim, 0), replaceAt(x.dims, dim, 0))) {
      throw new RuntimeError(
        `index_add_(): source ${fmtShape(source.dims)} must have the shape of self ${fmtShape(x.dims)} apart from dimension ${dim}`,
      );
    }
    return { shape: x.dims, dtype: x.dtype };
  },
  forward: (be, [x, index, source], out, { dim, alpha }) => {
    const dense = denseView(out, x.shape);
    be.copy(x, dense);
    let src = source;
    if (alpha !== 1) {
      const scaled = be.alloc(out.dtype, numelOf(src.shape));
      be.binary('mul', src, scalarView(be, alpha, out.dtype, src.shape), scaled);
      src = denseView(scaled, src.shape);
    }
    be.scatterAdd(dense, dim, alongDim(index, src.shape, dim), src);
  },
  backward: (g, [, index, source], _, { dim, alpha }) => [
    g,
    null,
    source.requiresGrad ? scaleBy(reshape(indexSelect(g, dim, index), source.dims), alpha) : null,
  ],
  saves: 'inputs',
});

const scaleBy = (x: Tensor, alpha: number): Tensor => (alpha === 1 ? x : mul(x, alpha));

/** `x` with alpha·source added at `index` along `dim`, out of place (torch.index_add). */
export function indexAdd(x: Tensor, dim: number, index: Tensor, source: Tensor, { alpha = 1 }: { alpha?: number } = {}): Tensor {
  return indexAddOp([x, index, source], { dim: wrapDim(dim, x.dims.length, 'index_add'), alpha });
}

/** Checks gather/scatter index shapes: same rank, and no larger than `x` outside `dim` (or than `src`). */
export function checkScatterShapes(x: Tensor, dim: number, index: Tensor, src: Tensor | null): void {
  if (index.dims.length !== x.dims.length && index.numel() !== 0) {
    throw new RuntimeError(`${src ? 'scatter' : 'gather'}(): Index tensor must have the same number of dimensions as ${src ? 'self' : 'input'} tensor`);
  }
  if (src !== null && index.dims.length !== src.dims.length && index.numel() !== 0) {
    throw new RuntimeError('scatter(): Index tensor must have the same number of dimensions as src tensor');
  }
  index.dims.forEach((n, d) => {
    const tooBig = (d !== dim && n > x.dims[d]) || (src !== null && n > src.dims[d]);
    if (!tooBig) return;
    throw new RuntimeError(
      src === null
        ? `gather(): Size does not match at dimension ${d} expected index ${fmtShape(index.dims)} to be smaller than self ${fmtShape(x.dims)} apart from dimension ${dim}`
        : `scatter(): Expected index ${fmtShape(index.dims)} to be smaller than self ${fmtShape(x.dims)} apart from dimension ${dim} and to be smaller size than src ${fmtShape(src.dims)}`,
    );
  });
  const size = x.dims[dim] ?? 1;
  checkBounds(index, size, (i) => new RuntimeError(`${src ? 'scatter' : 'gather'}(): index ${i} is out of bounds for dimension ${dim} with size ${size}`));
}

const gatherOp = defineOp<number>({
  name: 'gather',
  gradFn: 'GatherBackward0',
  meta: ([x, index], dim): Meta => {
    checkIndexDtype('gather()', index, false);
    checkScatterShapes(x, dim, index, null);
    return { shape: index.dims, dtype: x.dtype };
  },
  forward: (be, [x, index], out, dim) => { be.gather(x, dim, index, out); },
  backward: (g, [x, index], _, dim) => [scatterAdd(zeros(x.dims, { dtype: g.dtype, device: g.storage.device }), dim, index, g), null],
  saves: 'inputs',
});

/** out[i][j] = x[index[i][j]][j] for dim 0, likewise for other dims (torch.gather). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  return gatherOp([x, index], wrapDim(dim, x.dims.length, 'gather'));
}

const scatterAddOp = defineOp<number>({
  name: 'scatterAdd',
  gradFn: 'ScatterAddBackward0',
  meta: ([x, index, src], dim): Meta => {
    checkIndexDtype('scatter()', index, false);
    if (x.dtype !== src.dtype) throw new RuntimeError('scatter(): Expected self.dtype to be equal to src.dtype');
    checkScatterShapes(x, dim, index, src);
    return { shape: x.dims, dtype: x.dtype };
  },
  forward: (be, [x, index, src], out, dim) => {
    const dense = denseView(out, x.shape);
    be.copy(x, dense);
    be.scatterAdd(dense, dim, index, src);
  },
  backward: (g, [, index, src], _, dim) => [g, null, src.requiresGrad ? padTo(gather(g, dim, index), src.dims) : null],
  saves: 'inputs',
});

/** `x` zero-padded at the end of each dim up to `shape` (src may be larger than index in scatterAdd). */
export function padTo(x: Tensor, shape: readonly number[]): Tensor {
  let out = x;
  shape.forEach((n, d) => {
    const have = out.dims[d];
    if (have < n) out = cat([out, zeros(replaceAt(out.dims, d, n - have), { dtype: x.dtype, device: x.storage.device })], d);
  });
  return out;
}

/** `x` with src[i][j] added at x[index[i][j]][j] for dim 0, likewise for other dims, out of place (torch.scatter_add). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return scatterAddOp([x, index, src], wrapDim(dim, x.dims.length, 'scatter_add'));
}

/**
 * Flat row-major positions of the true elements of a bool or uint8 mask, as an int64 tensor. The
 * count sets an output's shape, so a device mask, whose values are read asynchronously, throws.
 */
export function maskPositions(op: string, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool' && mask.dtype !== 'uint8') throw new RuntimeError(`${op}: expected BoolTensor or ByteTensor for mask`);
  if (!isCpuStorage(mask.storage)) {
    throw new RuntimeError(
      `${op}: the result's size depends on the values of a ${deviceName(mask.storage.device)} mask, which cannot be read synchronously; ` +
        'index on the CPU (await x.cpuAsync(), await mask.cpuAsync())',
    );
  }
  const values = hostArray(op, mask, 'await mask.cpuAsync()'), positions = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) positions[n++] = i;
  return tensor(positions.subarray(0, n), { dtype: 'int64' });
}

/** The elements of `x` where the (broadcast) mask is true, as a 1-D tensor (torch.masked_select). */
export function maskedSelect(x: Tensor, mask: Tensor): Tensor {
  const shape = broadcastShapes('masked_select', x.dims, mask.dims);
  const positions = maskPositions('masked_select', expandTo(mask, shape));
  return indexSelect(reshape(expandTo(x, shape), [-1]), 0, positions);
}
