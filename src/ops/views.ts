// src/ops/views.ts — view ops (layout math over shared storage) and copies: view, reshape,
// permute, transpose, expand, squeeze, unsqueeze, narrow, select, slicing, contiguous, clone.
import { ArgumentTypeError, IndexError, RuntimeError } from '../core/errors.js';
import { checkInt, contiguousStrides, fmtShape, numelOf, wrapDim } from '../core/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { defineOp, defineView, denseView, expandTo, type Layout } from './define.js';

/** Resolves one -1 in a requested shape, checking the element count. */
export function inferShape(op: string, shape: readonly number[], numel: number): number[] {
  let infer = -1, known = 1;
  shape.forEach((n, i) => {
    if (n === -1) {
      if (infer >= 0) throw new RuntimeError(`${op}: only one dimension can be inferred`);
      infer = i;
    } else if (!Number.isInteger(n)) {
      throw new ArgumentTypeError(`${op}(): argument 'shape' must be tuple of ints, but found element of type float at pos ${i}`);
    } else if (n < 0) {
      throw new RuntimeError(`${op}: invalid shape dimension ${n}`);
    } else known *= n;
  });
  const out = [...shape];
  if (infer >= 0) {
    if (known === 0 || numel % known !== 0) {
      throw new RuntimeError(`${op}: shape '${fmtShape(shape)}' is invalid for input of size ${numel}`);
    }
    out[infer] = numel / known;
  } else if (known !== numel) {
    throw new RuntimeError(`${op}: shape '${fmtShape(shape)}' is invalid for input of size ${numel}`);
  }
  return out;
}

/**
 * Strides for viewing (dims, strides) as `shape` without copying, or null when impossible
 * (PyTorch's computeStride: each run of merged dims must be contiguous within itself).
 */
export function viewStrides(dims: readonly number[], strides: readonly number[], shape: readonly number[]): number[] | null {
  if (numelOf(dims) === 0 || dims.length === 0) return contiguousStrides(shape);
  const out = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = strides[strides.length - 1] ?? 1;
  let tensorNumel = 1, viewNumel = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    tensorNumel *= dims[d];
    if (d === 0 || (dims[d - 1] !== 1 && strides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        out[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD];
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = strides[d - 1];
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return out;
}

const viewOp = defineView<readonly number[]>({
  name: 'view',
  gradFn: 'ViewBackward0',
  layout: (x, shape) => {
    const strides = viewStrides(x.dims, x.strides, shape);
    if (strides === null) {
      throw new RuntimeError(
        `view: view size is not compatible with input tensor's size and stride (at least one dimension spans ` +
          `across two contiguous subspaces). Use .reshape(...) instead.`,
      );
    }
    return { dims: shape, strides, offset: x.offset };
  },
  backward: (g, x) => reshape(g, x.dims),
});

/** A view with another shape (one size may be -1); throws when strides do not allow it. */
export function view(x: Tensor, shape: readonly number[]): Tensor {
  return viewOp(x, inferShape('view', shape, x.numel()));
}

/** A view with another shape when strides allow, else a contiguous copy. */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const dims = inferShape('reshape', shape, x.numel());
  return viewStrides(x.dims, x.strides, dims) ? viewOp(x, dims) : viewOp(clone(x), dims);
}

const permuteOp = defineView<readonly number[]>({
  name: 'permute',
  gradFn: 'PermuteBackward0',
  layout: (x, order) => ({ dims: order.map((d) => x.dims[d]), strides: order.map((d) => x.strides[d]), offset: x.offset }),
  backward: (g, _, order): Tensor => {
    const inverse = new Array<number>(order.length);
    order.forEach((d, i) => (inverse[d] = i));
    return permuteOp(g, inverse);
  },
});

/** Reorders dims. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  if (dims.length !== x.dims.length) {
    throw new RuntimeError(
      `permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ` +
        `ordering of dimensions i.e. input.dim() = ${x.dims.length} is not equal to len(dims) = ${dims.length}`,
    );
  }
  const order = dims.map((d) => wrapDim(d, x.dims.length, 'permute'));
  if (new Set(order).size !== order.length) throw new RuntimeError('permute: repeated dim in permute');
  return permuteOp(x, order);
}

const transposeOp = defineView<readonly [number, number]>({
  name: 'transpose',
  gradFn: 'TransposeBackward0',
  layout: (x, [a, b]) => {
    if (a === b) return x; // also a 0-d tensor's transpose(0, -1)
    const dims = [...x.dims], strides = [...x.strides];
    [dims[a], dims[b]] = [dims[b], dims[a]];
    [strides[a], strides[b]] = [strides[b], strides[a]];
    return { dims, strides, offset: x.offset };
  },
  backward: (g, _, dims): Tensor => transposeOp(g, dims),
});

/** Swaps two dims. */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  const n = x.dims.length;
  return transposeOp(x, [wrapDim(dim0, n, 'transpose'), wrapDim(dim1, n, 'transpose')]);
}

const tOp = defineView<undefined>({
  name: 't',
  gradFn: 'TBackward0',
  layout: (x) => (x.dims.length < 2 ? x : { dims: [x.dims[1], x.dims[0]], strides: [x.strides[1], x.strides[0]], offset: x.offset }),
  backward: (g): Tensor => tOp(g, undefined),
});

/** Transposes a 2-D tensor; 0-D and 1-D tensors are returned as is. */
export function t(x: Tensor): Tensor {
  if (x.dims.length > 2) {
    throw new RuntimeError(`t: t() expects a tensor with <= 2 dimensions, but self is ${x.dims.length}D`);
  }
  return tOp(x, undefined);
}

/** Broadcasts to a larger shape as a stride-0 view; -1 keeps a size. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  const lead = shape.length - x.dims.length;
  if (lead < 0) {
    throw new RuntimeError(
      `expand: the number of sizes provided (${shape.length}) must be greater or equal to the number of ` +
        `dimensions in the tensor (${x.dims.length})`,
    );
  }
  const target = shape.map((n, i) => {
    const own = i >= lead ? x.dims[i - lead] : -1;
    if (!Number.isInteger(n)) throw new ArgumentTypeError(`expand(): argument 'size' must be tuple of ints, but found element of type float at pos ${i}`);
    if (n < -1) throw new RuntimeError(`expand: Trying to create tensor with negative dimension ${n}: ${fmtShape(shape)}`);
    if (n === -1) {
      if (i < lead) throw new RuntimeError(`expand: -1 is not allowed in a leading, non-existing dimension`);
      return own;
    }
    if (i >= lead && own !== 1 && own !== n) {
      throw new RuntimeError(
        `expand: The expanded size of the tensor (${n}) must match the existing size (${own}) at non-singleton ` +
          `dimension ${i}.  Target sizes: ${fmtShape(shape)}.  Tensor sizes: ${fmtShape(x.dims)}`,
      );
    }
    return n;
  });
  return expandTo(x, target);
}

const unsqueezeOp = defineView<number>({
  name: 'unsqueeze',
  gradFn: 'UnsqueezeBackward0',
  layout: (x, dim) => {
    const dims = [...x.dims], strides = [...x.strides];
    const stride = dim < x.dims.length ? x.dims[dim] * x.strides[dim] : 1;
    dims.splice(dim, 0, 1);
    strides.splice(dim, 0, stride);
    return { dims, strides, offset: x.offset };
  },
  backward: (g, _, dim) => squeeze(g, dim),
});

/** Inserts a size-1 dim at `dim`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  return unsqueezeOp(x, wrapDim(dim, x.dims.length + 1, 'unsqueeze'));
}

const squeezeOp = defineView<number | null>({
  name: 'squeeze',
  gradFn: 'SqueezeBackward0',
  layout: (x, dim) => {
    const keep = (n: number, i: number) => (dim === null ? n !== 1 : i !== dim || n !== 1);
    return {
      dims: x.dims.filter(keep),
      strides: x.strides.filter((_, i) => keep(x.dims[i], i)),
      offset: x.offset,
    };
  },
  backward: (g, x) => reshape(g, x.dims),
});

/** Removes size-1 dims (all, or only `dim`). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  return squeezeOp(x, dim === undefined ? null : wrapDim(dim, x.dims.length, 'squeeze'));
}

/** Flattens dims startDim..endDim into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.dims.length === 0) return reshape(x, [1]);
  const s = wrapDim(startDim, x.dims.length, 'flatten'), e = wrapDim(endDim, x.dims.length, 'flatten');
  if (s > e) throw new RuntimeError('flatten() has invalid args: start_dim cannot come after end_dim');
  if (s === e) return x;
  const shape = [...x.dims.slice(0, s), numelOf(x.dims.slice(s, e + 1)), ...x.dims.slice(e + 1)];
  return reshape(x, shape);
}

/**
 * The layout of a sub-region of a contiguous tensor of `dims`: the gradient of a narrowing
 * view is zeros of the input's shape with the incoming gradient written into this region.
 */
interface Region extends Layout {
  readonly of: readonly number[];
}

const embedOp = defineOp<Region>({
  name: 'embed',
  gradFn: 'SliceBackwardBackward0',
  meta: ([g], region) => ({ shape: region.of, dtype: g.dtype }),
  forward: (be, [g], out, r) => { be.copy(g, { storage: out, shape: r.dims, strides: r.strides, offset: r.offset }); },
  backward: (gg, _, __, r) => [gg.asView(r.dims, r.strides, r.offset)],
  saves: 'none',
});

/** A view op that selects a region of its input, with its layout relative to the input. */
export function regionView(gradFn: string, layout: (x: Tensor) => { dims: number[]; strides: number[]; offset: number }) {
  const f = defineView<Region>({
    name: gradFn,
    gradFn,
    layout: (x, r) => {
      const l = layout(x);
      return { dims: r.dims, strides: l.strides, offset: l.offset };
    },
    backward: (g, _, r) => embedOp([g], r),
  });
  return (x: Tensor): Tensor => {
    const own = layout(x);
    const rel = layout(new Tensor(x.storage, x.dims, contiguousStrides(x.dims), 0));
    return f(x, { of: x.dims, dims: own.dims, strides: rel.strides, offset: rel.offset });
  };
}

/** A view of `length` elements of `dim` starting at `start`. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  if (x.dims.length === 0) throw new RuntimeError('narrow: narrow() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, x.dims.length, 'narrow');
  checkInt('narrow', 'start', start);
  checkInt('narrow', 'length', length);
  const size = x.dims[d];
  const s = start < 0 ? start + size : start;
  if (s < 0 || s > size) throw new IndexError(`narrow: start (${start}) out of range for dimension of size ${size}`);
  if (length < 0 || s + length > size) {
    throw new RuntimeError(`narrow: start (${s}) + length (${length}) exceeds dimension size (${size}).`);
  }
  return slice(x, d, s, s + length, 1);
}

/** Python's x[start:end:step] along `dim` (bounds clamped as Python does). */
export function slice(x: Tensor, dim: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  if (x.dims.length === 0) throw new IndexError('slice: slice() cannot be applied to a 0-dim tensor.');
  const d = wrapDim(dim, x.dims.length, 'slice');
  for (const [name, v] of [['start', start], ['end', end], ['step', step]] as const) if (v !== null) checkInt('slice', name, v);
  if (step <= 0) throw new RuntimeError('slice: slice step must be positive');
  const size = x.dims[d];
  const clampIndex = (i: number | null, dflt: number) =>
    i === null ? dflt : Math.min(Math.max(i < 0 ? i + size : i, 0), size);
  const s = clampIndex(start, 0), e = Math.max(clampIndex(end, size), s);
  return regionView('SliceBackward0', (v) => {
    const dims = [...v.dims], strides = [...v.strides];
    dims[d] = Math.ceil((e - s) / step);
    strides[d] = v.strides[d] * step;
    return { dims, strides, offset: v.offset + s * v.strides[d] };
  })(x);
}

/** The sub-tensor at `index` along `dim`, as a view with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  if (x.dims.length === 0) throw new IndexError('select: invalid index of a 0-dim tensor. Use `tensor.item()` to convert a 0-dim tensor to a number');
  const d = wrapDim(dim, x.dims.length, 'select');
  const size = x.dims[d];
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new IndexError(`select: index ${index} is out of bounds for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  return regionView('SelectBackward0', (v) => ({
    dims: v.dims.filter((_, k) => k !== d),
    strides: v.strides.filter((_, k) => k !== d),
    offset: v.offset + i * v.strides[d],
  }))(x);
}

const cloneOp = defineOp({
  name: 'clone',
  gradFn: 'CloneBackward0',
  meta: ([x]) => ({ shape: x.dims, dtype: x.dtype }),
  forward: (be, [x], out) => { be.copy(x, denseView(out, x.shape)); },
  backward: (g) => [g],
  saves: 'none',
  overwrites: true,
});

/** A contiguous copy that stays in the graph. */
export function clone(x: Tensor): Tensor {
  return cloneOp([x], undefined);
}

/** The tensor itself when contiguous, else a contiguous copy. */
export function contiguous(x: Tensor): Tensor {
  return x.isContiguous() ? x : clone(x);
}

/** A tensor sharing storage (and so in-place version counts) with `x` but cut from the graph. */
export function detach(x: Tensor): Tensor {
  return new Tensor(x.storage, x.dims, x.strides, x.offset);
}
