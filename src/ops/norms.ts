// src/ops/norms.ts — vector and matrix norms (torch.norm, torch.linalg.norm, vector_norm, matrix_norm),
// composed from reductions; matrix norms that need singular values are refused.
import { type DType, isFloating, TYPE_NAMES } from '../core/dtype.js';
import { ArgumentTypeError, NotImplementedError, RuntimeError } from '../core/errors.js';
import { wrapDim } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { toDtype } from './define.js';
import { abs, eq, mul, ne, pow, sqrt, where } from './elementwise.js';
import { amax, amin, type Dim, sum } from './reduce.js';
import { reshape } from './views.js';

/** The dtype= keyword of the norms: the input is converted to it first. */
export interface NormOptions {
  dtype?: DType;
}

/** s^(1/p) with a zero gradient where s is 0 (the norm of a zero vector), as PyTorch's norm backward gives. */
function root(s: Tensor, p: number): Tensor {
  const zero = eq(s, 0), safe = where(zero, 1, s);
  return where(zero, 0, p === 2 ? sqrt(safe) : pow(safe, 1 / p));
}

/**
 * The p-norm of x over `dim` (all elements when null): (Σ|x|^ord)^(1/ord), max|x| for Infinity, min|x| for
 * -Infinity, the count of non-zeros for 0 (torch.linalg.vector_norm).
 * @example torch.linalg.vectorNorm(torch.tensor([3, 4])) // tensor(5.)
 */
export function vectorNorm(x: Tensor, ord: number = 2, dim: Dim | null = null, keepdim = false, { dtype }: NormOptions = {}): Tensor {
  if (typeof ord !== 'number') throw new ArgumentTypeError(`linalg_vector_norm(): argument 'ord' (position 2) must be Number, not ${typeof ord === 'string' ? 'str' : typeof ord}`);
  if (!isFloating(x.dtype)) {
    throw new RuntimeError(`linalg.vector_norm: Expected a floating point or complex tensor as input. Got ${TYPE_NAMES[x.dtype]}`);
  }
  const t = dtype === undefined ? x : toDtype(x, dtype), axes = dim ?? [];
  // The count of non-zeros, with PyTorch's zero gradient (|t|·0 is +0 and differentiable).
  if (ord === 0) return sum(where(ne(t, 0), 1, mul(abs(t), 0)), axes, keepdim);
  if (ord === Infinity) return amax(abs(t), axes, keepdim);
  if (ord === -Infinity) return amin(abs(t), axes, keepdim);
  if (ord === 1) return sum(abs(t), axes, keepdim);
  if (ord === 2) return root(sum(mul(t, t), axes, keepdim), 2);
  return root(sum(pow(abs(t), ord), axes, keepdim), ord);
}

/** Matrix orders: 'fro', 'nuc', or ±1, ±2, ±Infinity. */
export type MatrixOrd = 'fro' | 'nuc' | number;

/**
 * The norm of the matrices in dims `dim` of A (torch.linalg.matrix_norm): 'fro', or the largest (Infinity) or
 * smallest (-Infinity) absolute row sum, or column sum (1, -1). 'nuc', 2 and -2 need singular values, which
 * kindling does not compute: they are refused.
 * @example torch.linalg.matrixNorm(torch.tensor([[1, -2], [3, 4]]), Infinity) // tensor(7.)
 */
export function matrixNorm(A: Tensor, ord: MatrixOrd = 'fro', dim: readonly [number, number] = [-2, -1], keepdim = false, options: NormOptions = {}): Tensor {
  if (A.dims.length < 2) throw new RuntimeError('linalg.matrix_norm: The input tensor A must have at least 2 dimensions.');
  const n = A.dims.length, d0 = wrapDim(dim[0], n, 'linalg.matrix_norm'), d1 = wrapDim(dim[1], n, 'linalg.matrix_norm');
  if (d0 === d1) throw new RuntimeError(`linalg.matrix_norm: dims must be different. Got (${dim[0]}, ${dim[1]})`);
  if (ord === 'fro') return vectorNorm(A, 2, [d0, d1], keepdim, options);
  if (ord === 'nuc' || ord === 2 || ord === -2) {
    throw new NotImplementedError(`linalg.matrix_norm: ord=${String(ord)} needs singular values (torch.linalg.svdvals), which kindling does not implement`);
  }
  if (typeof ord !== 'number' || ![1, -1, Infinity, -Infinity].includes(ord)) throw new RuntimeError(`linalg.matrix_norm: Order ${String(ord)} not supported.`);
  const t = options.dtype === undefined ? A : toDtype(A, options.dtype);
  // Row sums (over d1) for ±inf, column sums (over d0) for ±1; then the extreme over the other dim.
  const [summed, over] = Math.abs(ord) === 1 ? [d0, d1] : [d1, d0];
  const sums = sum(abs(t), summed, true);
  const out = ord > 0 ? amax(sums, over, true) : amin(sums, over, true);
  return keepdim ? out : reshape(out, A.dims.filter((_, i) => i !== d0 && i !== d1));
}

/**
 * torch.linalg.norm: a matrix norm for a string order or two dims (or a 2-D input with an order and no
 * dims), else a vector norm (the 2-norm of all elements when neither ord nor dim is given).
 * @example torch.linalg.norm(torch.tensor([[1, 2], [2, 4]])) // tensor(5.)
 */
export function linalgNorm(A: Tensor, ord: MatrixOrd | null = null, dim: Dim | null = null, keepdim = false, options: NormOptions = {}): Tensor {
  if (dim !== null) {
    const dims = typeof dim === 'number' ? [dim] : dim;
    if (dims.length === 2) return matrixNorm(A, ord ?? 'fro', [dims[0], dims[1]], keepdim, options);
    if (typeof ord === 'string') throw new RuntimeError(`linalg.norm: If dim is specified, it mut be of length 1 or 2. Got ${dims.length}`);
    return vectorNorm(A, ord ?? 2, dims, keepdim, options);
  }
  if (ord === null) return vectorNorm(A, 2, null, keepdim, options);
  if (A.dims.length === 2) return matrixNorm(A, ord, [-2, -1], keepdim, options);
  if (A.dims.length !== 1 || typeof ord === 'string') {
    throw new RuntimeError(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${A.dims.length}D.`);
  }
  return vectorNorm(A, ord, null, keepdim, options);
}

/**
 * torch.norm: the Frobenius norm (the 2-norm of the elements in `dim`, all by default), the p-norm for a
 * number p, or the nuclear norm ('nuc', refused as by matrixNorm).
 * @example torch.norm(torch.tensor([3, 4])) // tensor(5.)
 */
export function norm(x: Tensor, p: MatrixOrd = 'fro', dim: Dim | null = null, keepdim = false, options: NormOptions = {}): Tensor {
  if (p === 'nuc') return matrixNorm(x, 'nuc', dim !== null && typeof dim !== 'number' && dim.length === 2 ? [dim[0], dim[1]] : [-2, -1], keepdim, options);
  return vectorNorm(x, p === 'fro' ? 2 : p, dim, keepdim, options);
}
