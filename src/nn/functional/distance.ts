// src/nn/functional/distance.ts — F.normalize, F.cosineSimilarity, F.pairwiseDistance over a vector
// p-norm whose gradient is PyTorch's norm_backward (zero where the norm is zero, split ties at inf).
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { RuntimeError } from '../../core/errors.js';
import { broadcastShapes, wrapDim } from '../../core/shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { isRecording, record } from '../../ops/define.js';
import { abs, clamp, div, eq, mul, pow, sign, sqrt, sub, where } from '../../ops/elementwise.js';
import { amax, sum } from '../../ops/reduce.js';
import { resultType } from '../../ops/operands.js';
import type { Tensor } from '../../tensor/tensor.js';

interface NormParams {
  readonly p: number;
  readonly dim: number | null;
  readonly keepdim: boolean;
}

/** ‖x‖_p over `dim` (all of a 0-d x), computed without recording. */
function normValue(x: Tensor, { p, dim, keepdim }: NormParams): Tensor {
  if (dim === null) return abs(x);
  if (p === Infinity) return amax(abs(x), dim, keepdim);
  if (p === -Infinity) return abs(x).amin(dim, keepdim);
  if (p === 0) return sum(x.ne(0).to(x.dtype), dim, keepdim);
  if (p === 1) return sum(abs(x), dim, keepdim);
  if (p === 2) return sqrt(sum(mul(x, x), dim, keepdim));
  return pow(sum(pow(abs(x), p), dim, keepdim), 1 / p);
}

/** PyTorch's norm_backward: the gradient of ‖x‖_p given the incoming g and the norm `n` (`result`). */
function normBackward(g: Tensor, x: Tensor, n: Tensor, { p, dim, keepdim }: NormParams): Tensor {
  const restore = (t: Tensor): Tensor => (dim === null || keepdim ? t : t.unsqueeze(dim));
  const gk = restore(g), nk = restore(n);
  if (p === 0) return mul(x, 0);
  if (p === 1) return mul(sign(x), gk);
  if (p === 2) return where(eq(nk, 0), 0, mul(x, div(gk, nk)));
  if (!Number.isFinite(p)) {
    const hits = mul(sign(x), eq(abs(x), nk).to(x.dtype));
    const count = dim === null ? 1 : sum(eq(abs(x), nk).to(x.dtype), dim, true);
    return mul(hits, div(gk, count));
  }
  const scaled = p < 1 ? where(eq(x, 0), 0, mul(sign(x), pow(abs(x), p - 1))) : mul(x, pow(abs(x), p - 2));
  return mul(scaled, where(eq(nk, 0), 0, div(gk, pow(nk, p - 1))));
}

/** ‖x‖_p along `dim` (torch.norm(x, p, dim, keepdim)), grad_fn NormBackward1. */
export function vectorNorm(x: Tensor, p: number, dim: number, keepdim = false): Tensor {
  const params: NormParams = { p, dim: x.dim() === 0 ? null : wrapDim(dim, x.dim(), 'norm'), keepdim };
  if (x.dim() === 0) wrapDim(dim, 1, 'norm');
  const out = noGrad(() => normValue(x, params));
  if (!isRecording([x])) return out;
  return record('NormBackward1', [x], out, params, (g, [input], n) => [normBackward(g, input, n, params)], 'all');
}

function checkFloating(x: Tensor): void {
  if (!isFloating(x.dtype)) {
    throw new RuntimeError(`norm(): input dtype should be either floating point or complex. Got ${TYPE_NAMES[x.dtype]} instead.`);
  }
}

/** x / max(‖x‖_p, eps) along `dim` (F.normalize). */
export function normalize(input: Tensor, { p = 2, dim = 1, eps = 1e-12 }: { p?: number; dim?: number; eps?: number } = {}): Tensor {
  checkFloating(input);
  return div(input, clamp(vectorNorm(input, p, dim, true), eps));
}

/** ‖x‖₂ along `dim`, clamped to eps without changing its gradient's formula, as PyTorch 1.13's cosine_similarity. */
function clampedNorm(x: Tensor, dim: number, eps: number): Tensor {
  const out = noGrad(() => clamp(sqrt(sum(mul(x, x), dim, true)), eps));
  if (!isRecording([x])) return out;
  // PyTorch clamps the norm in place under no_grad, so its backward divides by the clamped norm.
  return record('LinalgVectorNormBackward0', [x], out, null, (g, [input], n) => [mul(input, div(g, n))], 'all');
}

/** Σ x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)) along `dim`, after broadcasting (F.cosine_similarity). */
export function cosineSimilarity(x1: Tensor, x2: Tensor, { dim = 1, eps = 1e-8 }: { dim?: number; eps?: number } = {}): Tensor {
  const dtype = resultType([x1, x2]);
  if (!isFloating(dtype)) throw new RuntimeError(`cosine_similarity: expected common dtype to be floating point, yet common dtype is ${TYPE_NAMES[dtype]}`);
  const shape = broadcastShapes('cosine_similarity', x1.dims, x2.dims);
  const a = x1.to(dtype).expand(shape), b = x2.to(dtype).expand(shape);
  const d = wrapDim(dim, shape.length, 'cosine_similarity');
  return sum(mul(div(a, clampedNorm(a, d, eps)), div(b, clampedNorm(b, d, eps))), d);
}

/** ‖x1 − x2 + eps‖_p over the last dim (F.pairwise_distance). */
export function pairwiseDistance(x1: Tensor, x2: Tensor, { p = 2, eps = 1e-6, keepdim = false }: { p?: number; eps?: number; keepdim?: boolean } = {}): Tensor {
  const diff = sub(x1, x2).add(eps);
  checkFloating(diff);
  return vectorNorm(diff, p, -1, keepdim);
}
