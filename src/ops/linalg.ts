// src/ops/linalg.ts — matrix products: mm, mv, bmm, dot, matmul (PyTorch's dispatch over ranks),
// addmm and outer, each with its gradient written with transposed views, never copies.
import { type DType, TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { broadcastShapes, fmtShape, numelOf } from '../core/shape.js';
import type { View } from '../backends/backend.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineOp, defineView, expandView, type Meta } from './define.js';
import { mul } from './elementwise.js';
import { scalarView } from './operands.js';
import { reshape, squeeze, t, transpose, unsqueeze, viewStrides } from './views.js';

/** PyTorch's dtype rule for products: both operands share one dtype, and bool has no kernel. */
function checkDtypes(op: string, a: Tensor, b: Tensor): DType {
  if (a.dtype !== b.dtype) {
    throw new RuntimeError(`${op}: expected scalar type ${TYPE_NAMES[a.dtype]} but found ${TYPE_NAMES[b.dtype]}`);
  }
  if (a.dtype === 'bool') throw new RuntimeError(`${op}: "addmm_impl_cpu_" not implemented for 'Bool'`);
  return a.dtype;
}

function checkMatrices(op: string, a: Tensor, b: Tensor): void {
  if (a.dims.length !== 2) throw new RuntimeError(`${op}: self must be a matrix`);
  if (b.dims.length !== 2) throw new RuntimeError(`${op}: mat2 must be a matrix`);
  if (a.dims[1] !== b.dims[0]) {
    throw new RuntimeError(
      `${op}: mat1 and mat2 shapes cannot be multiplied (${a.dims[0]}x${a.dims[1]} and ${b.dims[0]}x${b.dims[1]})`,
    );
  }
}

/** A 1-D view as a column [k, 1] or a row [1, k], for the matrix kernel. */
const column = (v: View): View => ({ ...v, shape: [v.shape[0], 1], strides: [v.strides[0], 1] });
const row = (v: View): View => ({ ...v, shape: [1, v.shape[0]], strides: [1, v.strides[0]] });

/** Whether a matrix is the transpose of a contiguous one (as `weight.t()` in F.linear). */
const isTransposed = (m: Tensor): boolean =>
  m.dims.length === 2 && m.dims[0] > 1 && m.dims[1] > 1 && m.strides[0] === 1 && m.strides[1] === m.dims[0];

/**
 * d(a·b)/db = aᵀ·g. When b is a transposed view it is computed as (gᵀ·a)ᵀ, so that the gradient
 * reaches b's base (a linear layer's weight) contiguous, with no copy (PyTorch's mm_mat2_backward).
 */
const mat2Grad = (g: Tensor, a: Tensor, b: Tensor): Tensor => (isTransposed(b) ? t(mm(t(g), a)) : mm(t(a), g));

const mmOp = defineOp({
  name: 'mm',
  gradFn: 'MmBackward0',
  meta: ([a, b]): Meta => {
    checkMatrices('mm', a, b);
    return { shape: [a.dims[0], b.dims[1]], dtype: checkDtypes('mm', a, b) };
  },
  forward: (be, [a, b], out) => { be.matmul(a, b, out); },
  // Only the gradients that are needed are computed: a linear layer's input rarely needs one.
  backward: (g, [a, b]) => [a.requiresGrad ? mm(g, t(b)) : null, b.requiresGrad ? mat2Grad(g, a, b) : null],
  saves: 'inputs',
  overwrites: true,
});

/** Matrix product of two 2-D tensors (torch.mm). */
export function mm(a: Tensor, b: Tensor): Tensor {
  return mmOp([a, b], undefined);
}

const mvOp = defineOp({
  name: 'mv',
  gradFn: 'MvBackward0',
  meta: ([a, v]): Meta => {
    if (a.dims.length !== 2 || v.dims.length !== 1) {
      throw new RuntimeError(`mv: vector + matrix @ vector expected, got 1, ${a.dims.length}, ${v.dims.length}`);
    }
    if (a.dims[1] !== v.dims[0]) {
      throw new RuntimeError(`mv: size mismatch, got ${a.dims[0]}, ${a.dims[0]}x${a.dims[1]},${v.dims[0]}`);
    }
    return { shape: [a.dims[0]], dtype: checkDtypes('mv', a, v) };
  },
  forward: (be, [a, v], out) => { be.matmul(a, column(v), out); },
  backward: (g, [a, v]) => [a.requiresGrad ? outer(g, v) : null, v.requiresGrad ? mv(t(a), g) : null],
  saves: 'inputs',
  overwrites: true,
});

/** Matrix-vector product (torch.mv). */
export function mv(a: Tensor, v: Tensor): Tensor {
  return mvOp([a, v], undefined);
}

const dotOp = defineOp({
  name: 'dot',
  gradFn: 'DotBackward0',
  meta: ([a, b]): Meta => {
    if (a.dims.length !== 1 || b.dims.length !== 1) {
      throw new RuntimeError(`dot: 1D tensors expected, but got ${a.dims.length}D and ${b.dims.length}D tensors`);
    }
    if (a.dtype !== b.dtype) {
      throw new RuntimeError(`dot: expected both vectors to have same dtype, but found ${TYPE_NAMES[a.dtype]} and ${TYPE_NAMES[b.dtype]}`);
    }
    if (a.dims[0] !== b.dims[0]) {
      throw new RuntimeError(
        `dot: inconsistent tensor size, expected tensor [${a.dims[0]}] and src [${b.dims[0]}] to have the same ` +
          `number of elements, but got ${a.dims[0]} and ${b.dims[0]} elements respectively`,
      );
    }
    return { shape: [], dtype: checkDtypes('dot', a, b) };
  },
  forward: (be, [a, b], out) => { be.matmul(row(a), column(b), out); },
  backward: (g, [a, b]) => [mul(g, b), mul(g, a)],
  saves: 'inputs',
  overwrites: true,
});

/** Inner product of two 1-D tensors (torch.dot). */
export function dot(a: Tensor, b: Tensor): Tensor {
  return dotOp([a, b], undefined);
}

/**
 * Products over broadcast batch dims, [..., m, k] @ [..., k, n]: operands are expanded with
 * stride 0 as kernel views only, and the engine sums each gradient back over broadcast dims.
 */
const batchedOp = defineOp({
  name: 'bmm',
  gradFn: 'BmmBackward0',
  meta: ([a, b]): Meta => {
    const batch = broadcastShapes('matmul', a.dims.slice(0, -2), b.dims.slice(0, -2));
    return { shape: [...batch, a.dims[a.dims.length - 2], b.dims[b.dims.length - 1]], dtype: checkDtypes('matmul', a, b) };
  },
  forward: (be, [a, b], out) => {
    const lead = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
    const tail = (v: View) => v.shape.slice(v.shape.length - 2);
    be.matmul(expandView(a, [...lead, ...tail(a)]), expandView(b, [...lead, ...tail(b)]), out);
  },
  backward: (g, [a, b]) => [a.requiresGrad ? batched(g, mT(b)) : null, b.requiresGrad ? batched(mT(a), g) : null],
  saves: 'inputs',
  overwrites: true,
});

const batched = (a: Tensor, b: Tensor): Tensor => batchedOp([a, b], undefined);
const mT = (x: Tensor): Tensor => transpose(x, -1, -2);

/** Batched matrix product of two 3-D tensors with equal batch sizes (torch.bmm). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.dims.length !== 3) throw new RuntimeError('bmm: batch1 must be a 3D tensor');
  if (b.dims.length !== 3) throw new RuntimeError('bmm: batch2 must be a 3D tensor');
  checkBatch('bmm', a.dims[0], a.dims[2], b);
  return batched(a, b);
}

function checkBatch(op: string, batch: number, k: number, b: Tensor): void {
  const got = [numelOf(b.dims.slice(0, -2)), b.dims[b.dims.length - 2]];
  if (got[0] !== batch || got[1] !== k) {
    throw new RuntimeError(
      `${op}: Expected size for first two dimensions of batch2 tensor to be: [${batch}, ${k}] but got: ${fmtShape(got)}.`,
    );
  }
}

// PyTorch's matmul reshapes the product of a fold back with _unsafe_view; this is that view.
const unsafeView = defineView<readonly number[]>({
  name: 'unsafeView',
  gradFn: 'UnsafeViewBackward0',
  layout: (x, shape) => {
    // matmul only unfolds the contiguous products it made, which can always be viewed.
    const strides = viewStrides(x.dims, x.strides, shape);
    if (strides === null) throw new RuntimeError(`unsafeView: cannot view size ${fmtShape(x.dims)} as ${fmtShape(shape)}`);
    return { dims: shape, strides, offset: x.offset };
  },
  backward: (g, x) => reshape(g, x.dims),
});

/**
 * Matrix product with PyTorch's rules (torch.matmul): 1-D·1-D is a dot product, 2-D·1-D a
 * matrix-vector product, 1-D operands are unsqueezed and squeezed back, and batch dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.dims.length, db = b.dims.length;
  if (da === 0 || db === 0) {
    throw new RuntimeError(`matmul: both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  }
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) return squeeze(mm(unsqueeze(a, 0), b), 0);
  if (da === 2 && db === 2) return mm(a, b);
  const k = a.dims[da - 1];
  if (db <= 2) {
    // Fold a's batch dims into rows: one large mm, no broadcasting, as PyTorch does.
    const lead = a.dims.slice(0, -1);
    const folded = reshape(a, [numelOf(lead), k]);
    const out = db === 1 ? mv(folded, b) : mm(folded, b);
    return unsafeView(out, db === 1 ? lead : [...lead, b.dims[1]]);
  }
  const a2 = da === 1 ? unsqueeze(a, 0) : a, b2 = db === 1 ? unsqueeze(b, -1) : b;
  checkDtypes('matmul', a2, b2);
  const batch = broadcastShapes('matmul', a2.dims.slice(0, -2), b2.dims.slice(0, -2));
  if (b2.dims[b2.dims.length - 2] !== k) checkBatch('matmul', numelOf(batch), k, b2);
  const out = batched(a2, b2);
  const shape = [...batch, ...(da === 1 ? [] : [a2.dims[a2.dims.length - 2]]), ...(db === 1 ? [] : [b2.dims[b2.dims.length - 1]])];
  return unsafeView(out, shape);
}

interface Scale {
  readonly beta: number;
  readonly alpha: number;
}

const addmmOp = defineOp<Scale>({
  name: 'addmm',
  gradFn: 'AddmmBackward0',
  meta: ([input, a, b]): Meta => {
    checkMatrices('addmm', a, b);
    const dtype = checkDtypes('addmm', a, b);
    if (input.dtype !== dtype) throw new RuntimeError('addmm: self and mat2 must have the same dtype');
    const shape = [a.dims[0], b.dims[1]];
    checkExpandable('addmm', input.dims, shape);
    return { shape, dtype };
  },
  forward: (be, [input, a, b], out, { beta, alpha }) => {
    const shape = [a.shape[0], b.shape[1]];
    const dense: View = { storage: out, shape, strides: [shape[1], 1], offset: 0 };
    be.matmul(a, b, out);
    if (alpha !== 1) be.binary('mul', dense, scalarView(be, alpha, out.dtype, shape), out);
    // beta = 0 ignores input entirely, so NaN or Inf there do not leak (PyTorch's rule).
    if (beta === 0) return;
    let c = expandView(input, shape);
    if (beta !== 1) {
      const scaled = be.alloc(out.dtype, numelOf(shape));
      be.binary('mul', c, scalarView(be, beta, out.dtype, shape), scaled);
      c = { storage: scaled, shape, strides: [shape[1], 1], offset: 0 };
    }
    be.binary('add', dense, c, out);
  },
  // The product writes every element of out (zeros when k = 0).
  overwrites: true,
  backward: (g, [, a, b], _, { beta, alpha }) => [
    beta === 1 ? g : mul(g, beta),
    a.requiresGrad ? scale(mm(g, t(b)), alpha) : null,
    b.requiresGrad ? scale(mat2Grad(g, a, b), alpha) : null,
  ],
  saves: 'inputs',
});

const scale = (x: Tensor, alpha: number): Tensor => (alpha === 1 ? x : mul(x, alpha));

export function checkExpandable(op: string, dims: readonly number[], shape: readonly number[]): void {
  const lead = shape.length - dims.length;
  dims.forEach((n, i) => {
    const want = shape[lead + i];
    if (n !== 1 && n !== want) {
      throw new RuntimeError(
        `${op}: The expanded size of the tensor (${want}) must match the existing size (${n}) at non-singleton ` +
          `dimension ${lead + i}.  Target sizes: ${fmtShape(shape)}.  Tensor sizes: ${fmtShape(dims)}`,
      );
    }
  });
}

/** beta·input + alpha·(mat1 @ mat2), input broadcast to the product's shape (torch.addmm). */
export function addmm(input: Tensor, mat1: Tensor, mat2: Tensor, { beta = 1, alpha = 1 }: { beta?: number; alpha?: number } = {}): Tensor {
  return addmmOp([input, mat1, mat2], { beta, alpha });
}

/** Outer product of two 1-D tensors, with type promotion (torch.outer; a MulBackward0 in the graph). */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.dims.length !== 1) throw new RuntimeError(`outer: Expected 1-D argument self, but got ${a.dims.length}-D`);
  if (b.dims.length !== 1) throw new RuntimeError(`outer: Expected 1-D argument vec2, but got ${b.dims.length}-D`);
  return mul(unsqueeze(a, 1), b);
}
