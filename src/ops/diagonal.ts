// src/ops/diagonal.ts — strided views along diagonals and windows (diagonal, Tensor.unfold) and what is built
// on them (diag, trace).
import { RuntimeError } from '../core/errors.js';
import { contiguousStrides, wrapDim } from '../core/shape.js';
import { arange, zeros } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineOp, defineView, type Op } from './define.js';
import { eq, sub, where } from './elementwise.js';
import { cat } from './indexing.js';
import { sum } from './reduce.js';
import { clone, regionView, unsqueeze } from './views.js';

/**
 * The diagonal of dims dim1 and dim2 shifted by `offset` (above the main diagonal when positive), as a view
 * with those dims removed and the diagonal appended last (torch.diagonal).
 * @example torch.diagonal(torch.tensor([[1, 2], [3, 4]])) // tensor([1., 4.])
 */
export function diagonal(x: Tensor, offset = 0, dim1 = 0, dim2 = 1): Tensor {
  const n = x.dims.length, d1 = wrapDim(dim1, n, 'diagonal'), d2 = wrapDim(dim2, n, 'diagonal');
  if (d1 === d2) throw new RuntimeError(`diagonal: diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const rows = x.dims[d1], cols = x.dims[d2];
  const length = Math.max(0, offset >= 0 ? Math.min(rows, cols - offset) : Math.min(rows + offset, cols));
  return regionView('DiagonalBackward0', (v) => {
    const keep = (_: number, i: number) => i !== d1 && i !== d2;
    // An empty diagonal starts at the view's offset: its start may lie past the end of the storage.
    const start = length === 0 ? 0 : offset >= 0 ? offset * v.strides[d2] : -offset * v.strides[d1];
    return {
      dims: [...v.dims.filter(keep), length],
      strides: [...v.strides.filter(keep), v.strides[d1] + v.strides[d2]],
      offset: v.offset + start,
    };
  })(x);
}

/**
 * A 1-D tensor's values on the `diagonal`-th diagonal of a square matrix, or a 2-D tensor's diagonal as a
 * new 1-D tensor (torch.diag).
 * @example torch.diag(torch.tensor([1, 2])) // tensor([[1., 0.], [0., 2.]])
 */
export function diag(x: Tensor, diagonalIndex = 0): Tensor {
  if (x.dims.length === 2) return clone(diagonal(x, diagonalIndex));
  if (x.dims.length !== 1) throw new RuntimeError('diag: matrix or a vector expected');
  const k = Math.abs(diagonalIndex), size = x.dims[0] + k, device = x.storage.device;
  // Padded to the matrix size, the values broadcast along rows (k ≥ 0: row i holds x[i]) or columns.
  const padded = k === 0 ? x : cat([x, zeros([k], { dtype: x.dtype, device })]);
  const at = sub(arange(size, { device }), unsqueeze(arange(size, { device }), 1)); // col − row
  return where(eq(at, diagonalIndex), diagonalIndex >= 0 ? unsqueeze(padded, 1) : padded, x.dtype === 'bool' ? false : 0);
}

/**
 * The sum of a matrix's main diagonal (torch.trace).
 * @example torch.trace(torch.tensor([[1, 2], [3, 4]])) // tensor(5.)
 */
export function trace(x: Tensor): Tensor {
  if (x.dims.length !== 2) throw new RuntimeError(`trace: expected a matrix, but got tensor with dim ${x.dims.length}`);
  return sum(diagonal(x));
}

interface Window {
  readonly dim: number;
  readonly size: number;
  readonly step: number;
}

/** The windows' layout over a tensor of `dims` and `strides` (offset unchanged). */
function windows(dims: readonly number[], strides: readonly number[], { dim, size, step }: Window): { dims: number[]; strides: number[] } {
  if (dims.length === 0) return { dims: [size], strides: [1] };
  return {
    dims: [...dims.map((n, i) => (i === dim ? Math.floor((n - size) / step) + 1 : n)), size],
    strides: [...strides.map((s, i) => (i === dim ? s * step : s)), strides[dim]],
  };
}

// The gradient of unfold: g summed back through the (possibly overlapping) windows of a zero tensor.
const unfoldBackwardOp: Op<Window & { readonly of: readonly number[] }> = defineOp<Window & { readonly of: readonly number[] }>({
  name: 'unfold_backward',
  gradFn: 'UnfoldBackwardBackward0',
  meta: ([g], p) => ({ shape: p.of, dtype: g.dtype }),
  forward: (be, [g], out, p) => {
    const l = windows(p.of, contiguousStrides(p.of), p);
    be.addInto(g, { storage: out, shape: l.dims, strides: l.strides, offset: 0 });
  },
  backward: (gg, _, __, p) => [unfoldView(gg, p)],
  saves: 'none',
});

const unfoldView: (x: Tensor, p: Window) => Tensor = defineView<Window>({
  name: 'unfold',
  gradFn: 'UnfoldBackward0',
  layout: (x, p) => ({ ...windows(x.dims, x.strides, p), offset: x.offset }),
  backward: (g, x, p) => unfoldBackwardOp([g], { ...p, of: x.dims }),
});

/**
 * Windows of `size` elements taken every `step` along `dimension`, as a view with the windows' count in
 * place of that dim and the window appended last (Tensor.unfold).
 * @example torch.arange(5).unfold(0, 2, 2) // tensor([[0, 1], [2, 3]])
 */
export function unfold(x: Tensor, dimension: number, size: number, step: number): Tensor {
  const dim = wrapDim(dimension, x.dims.length, 'unfold');
  const n = x.dims.length === 0 ? 1 : x.dims[dim];
  if (size > n) throw new RuntimeError(`unfold: maximum size for tensor at dimension ${dim} is ${n} but size is ${size}`);
  if (step <= 0) throw new RuntimeError(`unfold: step is ${step} but must be > 0`);
  if (size < 0) throw new RuntimeError(`unfold: size is ${size} but must be >= 0`);
  return unfoldView(x, { dim, size, step });
}
