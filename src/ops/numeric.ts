// src/ops/numeric.ts — tests on float values (isfinite, isinf, isclose …), nanToNum and lerp, composed from
// pointwise ops.
import { getDefaultDtype, isFloating, TYPE_NAMES } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { toDtype } from './define.js';
import { abs, add, eq, isnan, le, logicalAnd, logicalOr, lt, mul, sub, where } from './elementwise.js';
import { asTensor } from './operands.js';
import { all } from './reduce.js';
import { clone } from './views.js';

/** A bool tensor of x's shape, all `value`: integer tensors are never NaN or infinite. */
const allOf = (x: Tensor, value: boolean): Tensor => (value ? eq(x, x) : logicalAnd(eq(x, x), false));

/**
 * Whether each element is finite: not NaN and not ±inf (torch.isfinite).
 * @example torch.isfinite(torch.tensor([1, Infinity, NaN])) // tensor([ True, False, False])
 */
export function isfinite(x: Tensor): Tensor {
  // x − x is 0 for every finite x and NaN for ±inf and NaN.
  return isFloating(x.dtype) ? eq(sub(x, x), 0) : allOf(x, true);
}

/** Whether each element is +inf or −inf (torch.isinf). */
export function isinf(x: Tensor): Tensor {
  return isFloating(x.dtype) ? eq(abs(x), Infinity) : allOf(x, false);
}

/** Whether each element is +inf (torch.isposinf). */
export function isposinf(x: Tensor): Tensor {
  return isFloating(x.dtype) ? eq(x, Infinity) : allOf(x, false);
}

/** Whether each element is −inf (torch.isneginf). */
export function isneginf(x: Tensor): Tensor {
  return isFloating(x.dtype) ? eq(x, -Infinity) : allOf(x, false);
}

/** The keyword options of nanToNum (PyTorch's nan=, posinf=, neginf=). */
export interface NanToNumOptions {
  nan?: number;
  /** Default: the dtype's largest finite value. */
  posinf?: number | null;
  /** Default: the dtype's lowest finite value. */
  neginf?: number | null;
}

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * NaN, +inf and −inf replaced by finite values (torch.nan_to_num); the gradient flows where x was finite.
 * @example torch.nanToNum(torch.tensor([NaN, Infinity])) // tensor([0.0000e+00, 3.4028e+38])
 */
export function nanToNum(x: Tensor, { nan = 0, posinf = null, neginf = null }: NanToNumOptions = {}): Tensor {
  if (!isFloating(x.dtype)) return clone(x);
  const max = x.dtype === 'float32' ? FLOAT32_MAX : Number.MAX_VALUE;
  return where(isnan(x), nan, where(eq(x, Infinity), posinf ?? max, where(eq(x, -Infinity), neginf ?? -max, x)));
}

/** The keyword options of isclose and allclose. */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

/**
 * Whether |a − b| ≤ atol + rtol·|b| elementwise, or a == b (torch.isclose); NaNs are equal with `equalNan`.
 * @example torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 2.1])) // tensor([ True, False])
 */
export function isclose(a: Tensor, b: Tensor, { rtol = 1e-5, atol = 1e-8, equalNan = false }: CloseOptions = {}): Tensor {
  if (a.dtype !== b.dtype) throw new RuntimeError(`isclose: ${TYPE_NAMES[a.dtype]} did not match ${TYPE_NAMES[b.dtype]}`);
  if (rtol < 0) throw new RuntimeError(`isclose: rtol must be greater than or equal to zero, but got ${rtol}`);
  if (atol < 0) throw new RuntimeError(`isclose: atol must be greater than or equal to zero, but got ${atol}`);
  let close = eq(a, b);
  if (equalNan && isFloating(a.dtype)) close = logicalOr(close, logicalAnd(isnan(a), isnan(b)));
  if (rtol === 0 && atol === 0) return close;
  // PyTorch computes the error in the inputs' dtype, or in the default float dtype for integers.
  const fa = isFloating(a.dtype) ? a : toDtype(a, getDefaultDtype()), fb = isFloating(b.dtype) ? b : toDtype(b, getDefaultDtype());
  const allowed = add(asTensor(atol, fa.dtype), abs(mul(fb, rtol)));
  const actual = abs(sub(fa, fb));
  return logicalOr(close, logicalAnd(isfinite(actual), le(actual, allowed)));
}

/**
 * Whether every element of a is close to b's (torch.allclose), as isclose decides.
 * @example torch.allclose(torch.tensor([1]), torch.tensor([1 + 1e-9])) // true
 */
export function allclose(a: Tensor, b: Tensor, options: CloseOptions = {}): boolean {
  return all(isclose(a, b, options)).item() !== 0;
}

/**
 * start + weight·(end − start), rounded as PyTorch's lerp: from the end for |weight| ≥ 0.5 (torch.lerp).
 * @example torch.lerp(torch.tensor([0, 1]), torch.tensor([10, 11]), 0.5) // tensor([5., 6.])
 */
export function lerp(start: Tensor, end: Tensor, weight: number | Tensor): Tensor {
  if (end.dtype !== start.dtype) {
    throw new RuntimeError(`lerp: expected dtype ${TYPE_NAMES[start.dtype].toLowerCase()} for \`end\` but got dtype ${TYPE_NAMES[end.dtype].toLowerCase()}`);
  }
  if (typeof weight === 'object' && weight.dtype !== start.dtype) {
    throw new RuntimeError(`lerp: expected dtype ${TYPE_NAMES[start.dtype].toLowerCase()} for \`weight\` but got dtype ${TYPE_NAMES[weight.dtype].toLowerCase()}`);
  }
  const d = sub(end, start);
  if (typeof weight === 'number') return Math.abs(weight) < 0.5 ? add(start, mul(d, weight)) : sub(end, mul(d, 1 - weight));
  return where(lt(abs(weight), 0.5), add(start, mul(weight, d)), sub(end, mul(d, sub(1, weight))));
}
