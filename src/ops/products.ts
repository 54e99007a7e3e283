// src/ops/products.ts — products composed from matmul and pointwise ops: baddbmm, addbmm, addmv, kron, cross.
import { RuntimeError } from '../core/errors.js';
import { broadcastShapes, wrapDim } from '../core/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expandTo } from './define.js';
import { add, mul, sub } from './elementwise.js';
import { cat } from './indexing.js';
import { bmm, checkExpandable, mv } from './linalg.js';
import { sum } from './reduce.js';
import { narrow, reshape } from './views.js';

/** The beta= and alpha= keywords of the addmm family. */
export interface BetaAlpha {
  beta?: number;
  alpha?: number;
}

/** beta·input + alpha·product, input broadcast; beta 0 ignores input (NaN in it does not propagate), as PyTorch. */
function scaledSum(op: string, input: Tensor, product: Tensor, { beta = 1, alpha = 1 }: BetaAlpha): Tensor {
  checkExpandable(op, input.dims, product.dims);
  const p = alpha === 1 ? product : mul(product, alpha);
  if (beta === 0) return p;
  return add(beta === 1 ? input : mul(input, beta), p);
}

/**
 * beta·input + alpha·(batch1 @ batch2) for batches of matrices (torch.baddbmm).
 * @example torch.baddbmm(torch.zeros(2, 3, 5), torch.ones(2, 3, 4), torch.ones(2, 4, 5)) // every entry 4
 */
export function baddbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options: BetaAlpha = {}): Tensor {
  return scaledSum('baddbmm', input, bmm(batch1, batch2), options);
}

/** beta·input + alpha·Σ_b batch1[b] @ batch2[b] (torch.addbmm). */
export function addbmm(input: Tensor, batch1: Tensor, batch2: Tensor, options: BetaAlpha = {}): Tensor {
  return scaledSum('addbmm', input, sum(bmm(batch1, batch2), 0), options);
}

/** beta·input + alpha·(mat @ vec) (torch.addmv). */
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, options: BetaAlpha = {}): Tensor {
  return scaledSum('addmv', input, mv(mat, vec), options);
}

/**
 * The Kronecker product: blocks a[i]·b laid out along every dim (ranks padded with leading 1s) (torch.kron).
 * @example torch.kron(torch.tensor([1, 2]), torch.tensor([1, 10])) // tensor([ 1., 10.,  2., 20.])
 */
export function kron(a: Tensor, b: Tensor): Tensor {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (dims: readonly number[]) => [...Array<number>(rank - dims.length).fill(1), ...dims];
  const da = pad(a.dims), db = pad(b.dims);
  const product = mul(reshape(a, da.flatMap((n) => [n, 1])), reshape(b, db.flatMap((n) => [1, n])));
  return reshape(product, da.map((n, i) => n * db[i]));
}

/**
 * The cross product of 3-vectors along `dim` (default -1), operands broadcast (torch.linalg.cross).
 * @example torch.linalg.cross(torch.tensor([1, 0, 0]), torch.tensor([0, 1, 0])) // tensor([0., 0., 1.])
 */
export function linalgCross(a: Tensor, b: Tensor, dim = -1): Tensor {
  if (a.dims.length !== b.dims.length) throw new RuntimeError('linalg.cross: inputs must have the same number of dimensions.');
  const d = wrapDim(dim, a.dims.length, 'linalg.cross');
  if (a.dims[d] !== 3 || b.dims[d] !== 3) {
    throw new RuntimeError(`linalg.cross: inputs dimension ${dim} must have length 3. Got ${a.dims[d]} and ${b.dims[d]}`);
  }
  const shape = broadcastShapes('linalg.cross', a.dims, b.dims);
  const x = expandTo(a, shape), y = expandTo(b, shape);
  const at = (t: Tensor, i: number): Tensor => narrow(t, d, i, 1);
  const part = (i: number, j: number): Tensor => sub(mul(at(x, i), at(y, j)), mul(at(x, j), at(y, i)));
  return cat([part(1, 2), part(2, 0), part(0, 1)], d);
}

/** torch.cross: linalg.cross along `dim`, or without it along the first dim of size 3. */
export function cross(a: Tensor, b: Tensor, dim: number | null = null): Tensor {
  if (dim !== null) return linalgCross(a, b, dim);
  const d = a.dims.indexOf(3);
  if (d < 0) throw new RuntimeError('cross: no dimension of size 3 in input');
  return linalgCross(a, b, d);
}
