// src/backends/native/elementwise.ts — elementwise kernels, copies and axpy on the addon, with the
// JS reference taking small dense ops (cheaper than crossing into C++) and non-float dtypes.
import type { BinaryOp, CpuBackend as Backend, CpuStorage as Storage, CpuView as View, UnaryOp } from '../backend.js';
import { jsBackend } from '../js/index.js';
import type { Addon } from './addon.js';
import { coalescedDesc, ELEMENTWISE_MIN, isDense, isFloat, numelOf, smallDense } from './views.js';

// The addon's unary op codes, in native/src/kernels/elementwise.h's order (erf: GELU's exact form, std::erf
// in the element type as PyTorch's CPU kernel computes it).
const UNARY: Partial<Record<UnaryOp, number>> = {
  neg: 0, exp: 1, log: 2, sqrt: 3, rsqrt: 4, abs: 5, sigmoid: 6, tanh: 7, relu: 8, sin: 9, cos: 10,
  log1p: 11, expm1: 12, reciprocal: 13, sign: 14, erfinv: 15, lgamma: 16, digamma: 17, trigamma: 18, erf: 19,
};
const BASE_BINARY: Partial<Record<BinaryOp, number>> = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5, pow: 6, thresholdBackward: 7 };
// An older build ignores codes it does not know, so those ops stay on the JS reference there. Builds
// before `unaryCodes` knew 19 if they had `cumulative` (which arrived with codes 15–18 and fmod), else 15.
const SPECIAL_BINARY: Partial<Record<BinaryOp, number>> = { fmod: 8 };
const COMPARE_CODES: Partial<Record<BinaryOp, number>> = { eq: 0, ne: 1, lt: 2, le: 3, gt: 4, ge: 5 };

/** The elementwise kernels of the native backend. */
export function elementwiseKernels(addon: Addon): Required<Pick<Backend, 'unary' | 'binary' | 'where' | 'copy' | 'axpy'>> {
  const recent = addon.cumulative !== undefined;
  const known = addon.unaryCodes ?? (recent ? 19 : 15);
  const UNARY_CODES: Partial<Record<UnaryOp, number>> = Object.fromEntries(Object.entries(UNARY).filter(([, code]) => code < known));
  const BINARY_CODES = recent ? { ...BASE_BINARY, ...SPECIAL_BINARY } : BASE_BINARY;
  const unary = (op: UnaryOp, x: View, out: Storage): void => {
    const code = UNARY_CODES[op], data = x.storage.data;
    if (code === undefined || !isFloat(data) || smallDense(out.data.length, x)) {
      jsBackend.unary(op, x, out);
      return;
    }
    addon.unary(code, data, out.data, coalescedDesc(x.shape, x));
  };

  const binary = (op: BinaryOp, a: View, b: View, out: Storage): void => {
    const code = BINARY_CODES[op] ?? COMPARE_CODES[op], x = a.storage.data, y = b.storage.data;
    if (code === undefined || !isFloat(x) || !isFloat(y) || smallDense(out.data.length, a, b)) {
      jsBackend.binary(op, a, b, out);
      return;
    }
    const d = coalescedDesc(a.shape, a, b);
    if (op in COMPARE_CODES) addon.compare(code, x, y, out.data, d);
    else addon.binary(code, x, y, out.data, d);
  };

  const where = (cond: View, a: View, b: View, out: Storage): void => {
    const c = cond.storage.data, x = a.storage.data, y = b.storage.data;
    if (!(c instanceof Uint8Array) || !isFloat(x) || !isFloat(y) || x.constructor !== y.constructor || smallDense(out.data.length, cond, a, b)) {
      jsBackend.where(cond, a, b, out);
      return;
    }
    addon.where(c, x, y, out.data, coalescedDesc(a.shape, cond, a, b));
  };

  const copy = (src: View, dst: View): void => {
    const s = src.storage.data, d = dst.storage.data;
    if (!isFloat(s) || !isFloat(d) || s.constructor !== d.constructor || numelOf(dst.shape) < ELEMENTWISE_MIN) {
      jsBackend.copy(src, dst);
      return;
    }
    addon.copy(s, d, coalescedDesc(dst.shape, src, dst));
  };

  // Any size: without it add_ with alpha takes two JS passes and a temporary (2 µs on 100 floats, 0.4 with it).
  const axpy = (alpha: number, x: View, y: Storage): boolean => {
    const data = x.storage.data;
    if (!isFloat(data) || data.constructor !== y.data.constructor || !isDense(x)) return false;
    addon.axpy(alpha, data, x.offset, y.data, y.data.length);
    return true;
  };

  return { unary, binary, where, copy, axpy };
}
