// src/ops/argreduce.ts — reductions that find positions: max(dim), min(dim), median, argmax, argmin
// (indices first, then the values picked at them), and the Tensor methods whose result type depends on
// the arguments.
import type { DType } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { contiguousStrides, isContiguousLayout, numelOf } from '../core/shape.js';
import type { Backend, View } from '../backends/backend.js';
import { arange } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { defineOp, denseView } from './define.js';
import { eq, maximum, minimum, where } from './elementwise.js';
import { checkNonEmpty, extremeOps, keptShape, oneAxis, outShape, reduceAxes, restore } from './reduce.js';
import { reshape } from './views.js';

/**
 * What max(dim), min(dim) and median(dim) return, like PyTorch's namedtuple: `.values`,
 * `.indices`, and a pair, so that `const [v, i] = x.max(1)` and `x.max(1)[0]` work.
 */
export type ValuesIndices = readonly [values: Tensor, indices: Tensor] & { readonly values: Tensor; readonly indices: Tensor };

// ---- max(dim), min(dim), median, argmax, argmin: indices first, then values picked at them

interface Along {
  /** The reduced axis, or null for the flattened input. */
  readonly axis: number | null;
  readonly keepdim: boolean;
}

const alongShape = (x: readonly number[], p: Along): number[] =>
  p.axis === null ? (p.keepdim ? x.map(() => 1) : []) : outShape(x, [p.axis], p.keepdim);

/** A 1-d view of x's elements (a contiguous copy when x is strided). */
function flattened(be: Backend, x: View): View {
  const shape = [numelOf(x.shape)];
  if (isContiguousLayout(x.shape, x.strides)) return { ...x, shape, strides: [1] };
  const s = be.alloc(x.storage.dtype, shape[0]);
  be.copy(x, denseView(s, x.shape));
  return denseView(s, shape);
}

const argOps = (['max', 'min'] as const).map((op) => defineOp<Along>({
  name: `arg${op}`,
  gradFn: '',
  meta: ([x], p) => ({ shape: alongShape(x.dims, p), dtype: 'int64' }),
  forward: (be, [input], out, p) => {
    const x = p.axis === null ? flattened(be, input) : input;
    be.argReduce(op, x, p.axis ?? 0, be.alloc(x.storage.dtype, out.numel), out);
  },
  backward: null,
  saves: 'none',
}));

// The median's index: the lower middle of a stable sort, or the first NaN of a row that has one
// (NaN sorts last, and argReduce('max') stops at the first NaN), as PyTorch's median.
const medianIndexOp = defineOp<Along>({
  name: 'median',
  gradFn: '',
  meta: ([x], p) => ({ shape: alongShape(x.dims, p), dtype: 'int64' }),
  forward: (be, [input], out, p) => {
    const x = p.axis === null ? flattened(be, input) : input, axis = p.axis ?? 0;
    const numel = numelOf(x.shape), rows = outShape(x.shape, [axis], false), size = numelOf(rows);
    const sorted = be.alloc(x.storage.dtype, numel), order = be.alloc('int64', numel);
    be.sort(x, axis, false, sorted, order);
    const strides = contiguousStrides(x.shape), k = Math.floor((x.shape[axis] - 1) / 2);
    const middle: View = { storage: order, shape: rows, strides: strides.filter((_, i) => i !== axis), offset: k * strides[axis] };
    const firstMax = be.alloc(x.storage.dtype, size), at = be.alloc('int64', size), isNan = be.alloc('bool', size);
    be.argReduce('max', x, axis, firstMax, at);
    be.unary('isnan', denseView(firstMax, rows), isNan);
    be.where(denseView(isNan, rows), denseView(at, rows), middle, out);
  },
  backward: null,
  saves: 'none',
});

// The median of no values: NaN, which PyTorch's CPU kernels convert to these integers.
const NOTHING: Record<DType, number> = { float32: NaN, float64: NaN, int32: -(2 ** 31), int64: -(2 ** 63), uint8: 0, bool: 0 };

/** Values of x at indices along an axis (or of flattened x); the gradient goes to those positions. */
function pickOp(name: string, gradFn: string) {
  return defineOp<Along>({
    name,
    gradFn,
    meta: ([x], p) => ({ shape: alongShape(x.dims, p), dtype: x.dtype }),
    forward: (be, [input, index], out, p) => {
      if (numelOf(input.shape) === 0 && p.axis === null) {
        be.fill(denseView(out, [1]), NOTHING[out.dtype]); // median of nothing
        return;
      }
      const x = p.axis === null ? flattened(be, input) : input;
      // The index comes fresh from an index op (contiguous, offset 0), laid out with x's rank for gather.
      const shape = p.axis === null ? [1] : keptShape(x.shape, [p.axis]);
      be.gather(x, p.axis ?? 0, denseView(index.storage, shape), out);
    },
    backward: (g, [x, index], _, p) => {
      const { axis, keepdim } = p;
      const n = axis === null ? x.numel() : x.dims[axis];
      const positions = reshape(arange(n, { device: x.storage.device }), axis === null ? x.dims : x.dims.map((s, i) => (i === axis ? s : 1)));
      const at = (t: Tensor) => (axis === null ? t : restore(t, x, [axis], keepdim));
      return [where(eq(positions, at(index)), at(g), 0), null];
    },
    saves: 'none',
  });
}
const maxPick = pickOp('max', 'MaxBackward0'), minPick = pickOp('min', 'MinBackward0');
const medianAllPick = pickOp('median', 'MedianBackward0'), medianPick = pickOp('median', 'MedianBackward1');

export const valuesIndices = (values: Tensor, indices: Tensor): ValuesIndices =>
  Object.freeze(Object.assign([values, indices] as [Tensor, Tensor], { values, indices }));

function alongDim(op: 'max' | 'min' | 'median', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  const axes = oneAxis(op, x, dim);
  checkNonEmpty(`${op}()`, x, axes);
  const p: Along = { axis: axes[0] ?? null, keepdim }; // a 0-d tensor: its one element, flattened
  const indices = (op === 'median' ? medianIndexOp : argOps[op === 'max' ? 0 : 1])([x], p);
  const pick = op === 'max' ? maxPick : op === 'min' ? minPick : medianPick;
  return valuesIndices(pick([x, indices], p), indices);
}

/** torch.max: the largest value; with `dim`, values and indices along it; with a tensor, the elementwise maximum. */
export function max(x: Tensor, other?: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return maximum(x, dim);
  if (dim !== undefined) return alongDim('max', x, dim, keepdim);
  checkNonEmpty('max()', x, null);
  return extremeOps[0]([x], { axes: reduceAxes('max', x, null), keepdim: false, dtype: x.dtype });
}

/** torch.min: the smallest value; with `dim`, values and indices along it; with a tensor, the elementwise minimum. */
export function min(x: Tensor, other?: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return minimum(x, dim);
  if (dim !== undefined) return alongDim('min', x, dim, keepdim);
  checkNonEmpty('min()', x, null);
  return extremeOps[1]([x], { axes: reduceAxes('min', x, null), keepdim: false, dtype: x.dtype });
}

/** torch.median: the lower median of all values (NaN if any); with `dim`, values and indices along it. */
export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  if (x.dtype === 'bool') throw new RuntimeError(`median: "median_cpu" not implemented for 'Bool'`);
  if (dim !== undefined) return alongDim('median', x, dim, keepdim);
  const p: Along = { axis: null, keepdim: false };
  const index = x.numel() === 0 ? reshape(arange(1, { device: x.storage.device }), []) : medianIndexOp([x], p);
  return medianAllPick([x, index], p);
}

function argExtreme(op: 'argmax' | 'argmin', x: Tensor, dim: number | null, keepdim: boolean): Tensor {
  if (x.dtype === 'bool') throw new RuntimeError(`${op}: "${op}_cpu" not implemented for 'Bool'`);
  const axes = dim === null ? null : oneAxis(op, x, dim);
  checkNonEmpty(`${op}()`, x, axes, true);
  return argOps[op === 'argmax' ? 0 : 1]([x], { axis: axes?.[0] ?? null, keepdim });
}

/** Index of the largest value, of the flattened input or along `dim` (torch.argmax). */
export function argmax(x: Tensor, dim: number | null = null, keepdim = false): Tensor {
  return argExtreme('argmax', x, dim, keepdim);
}

/** Index of the smallest value, of the flattened input or along `dim` (torch.argmin). */
export function argmin(x: Tensor, dim: number | null = null, keepdim = false): Tensor {
  return argExtreme('argmin', x, dim, keepdim);
}

// ---- Tensor methods whose result type depends on the arguments. Their overloads omit `this`
// so that methods.ts's OmitThisParameter keeps every overload, not only the last.

/** x.max(), x.max(dim, keepdim?), x.max(other). */
export function maxMethod(other?: Tensor): Tensor;
export function maxMethod(dim: number, keepdim?: boolean): ValuesIndices;
export function maxMethod(this: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  return dim instanceof Tensor ? max(this, dim) : dim === undefined ? max(this) : max(this, dim, keepdim);
}

/** x.min(), x.min(dim, keepdim?), x.min(other). */
export function minMethod(other?: Tensor): Tensor;
export function minMethod(dim: number, keepdim?: boolean): ValuesIndices;
export function minMethod(this: Tensor, dim?: number | Tensor, keepdim = false): Tensor | ValuesIndices {
  return dim instanceof Tensor ? min(this, dim) : dim === undefined ? min(this) : min(this, dim, keepdim);
}

/** x.median(), x.median(dim, keepdim?). */
export function medianMethod(): Tensor;
export function medianMethod(dim: number, keepdim?: boolean): ValuesIndices;
export function medianMethod(this: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? median(this) : median(this, dim, keepdim);
}
