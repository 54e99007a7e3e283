// src/backends/js/elementwise.ts — unary, binary and where kernels, written once for all dtypes.
import type { BinaryOp, CpuStorage as Storage, CpuView as View, UnaryOp } from '../backend.js';
import { erf, pyRemainder, roundHalfEven } from './math.js';
import { digamma, erfinv, lgamma, trigamma } from './special.js';
import { viewOffsets } from './strided.js';

const UNARY: Record<UnaryOp, (a: number) => number> = {
  neg: (a) => -a,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (a) => 1 / Math.sqrt(a),
  abs: Math.abs,
  sign: (a) => (a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : a),
  sigmoid: (a) => (a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a))),
  tanh: Math.tanh,
  relu: (a) => (a > 0 || a !== a ? a : 0),
  sin: Math.sin,
  cos: Math.cos,
  log1p: Math.log1p,
  expm1: Math.expm1,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  trunc: Math.trunc,
  reciprocal: (a) => 1 / a,
  erf,
  logicalNot: (a) => (a === 0 ? 1 : 0),
  isnan: (a) => (a !== a ? 1 : 0),
  erfinv,
  lgamma,
  digamma,
  trigamma,
};

const BINARY: Record<BinaryOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
  minimum: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
  atan2: Math.atan2,
  floorDivide: (a, b) => Math.floor(a / b),
  remainder: pyRemainder,
  fmod: (a, b) => a % b, // JavaScript's % is C's fmod, exact
  thresholdBackward: (a, b) => (b <= 0 ? 0 : a),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  logicalAnd: (a, b) => (a !== 0 && b !== 0 ? 1 : 0),
  logicalOr: (a, b) => (a !== 0 || b !== 0 ? 1 : 0),
  logicalXor: (a, b) => ((a !== 0) !== (b !== 0) ? 1 : 0),
};

export function unary(op: UnaryOp, x: View, out: Storage): void {
  const f = UNARY[op], src = x.storage.data, o = out.data, n = o.length;
  const ix = viewOffsets(x);
  if (ix === null) {
    const off = x.offset;
    for (let i = 0; i < n; i++) o[i] = f(src[off + i]);
  } else {
    for (let i = 0; i < n; i++) o[i] = f(src[ix[i]]);
  }
}

export function binary(op: BinaryOp, a: View, b: View, out: Storage): void {
  const f = BINARY[op], x = a.storage.data, y = b.storage.data, o = out.data, n = o.length;
  const ia = viewOffsets(a), ib = viewOffsets(b);
  if (ia === null && ib === null) {
    const oa = a.offset, ob = b.offset;
    if (x instanceof Float32Array && y instanceof Float32Array && o instanceof Float32Array && denseFloat32(op, x, oa, y, ob, o)) return;
    for (let i = 0; i < n; i++) o[i] = f(x[oa + i], y[ob + i]);
    return;
  }
  const pa = ia ?? denseOffsets(a.offset, n), pb = ib ?? denseOffsets(b.offset, n);
  for (let i = 0; i < n; i++) o[i] = f(x[pa[i]], y[pb[i]]);
}

/**
 * The four arithmetic ops on dense float32 arrays, written out: the generic loop's calls through
 * BINARY and its element loads see every op and dtype a program uses, and once a training step has
 * run, V8 handles them megamorphically (a 4-element add then cost 0.5 µs instead of 0.25).
 */
function denseFloat32(op: BinaryOp, x: Float32Array, oa: number, y: Float32Array, ob: number, o: Float32Array): boolean {
  const n = o.length;
  if (op === 'add') for (let i = 0; i < n; i++) o[i] = x[oa + i] + y[ob + i];
  else if (op === 'sub') for (let i = 0; i < n; i++) o[i] = x[oa + i] - y[ob + i];
  else if (op === 'mul') for (let i = 0; i < n; i++) o[i] = x[oa + i] * y[ob + i];
  else if (op === 'div') for (let i = 0; i < n; i++) o[i] = x[oa + i] / y[ob + i];
  else return false;
  return true;
}

export function where(cond: View, a: View, b: View, out: Storage): void {
  const c = cond.storage.data, x = a.storage.data, y = b.storage.data, o = out.data, n = o.length;
  const pc = viewOffsets(cond) ?? denseOffsets(cond.offset, n);
  const pa = viewOffsets(a) ?? denseOffsets(a.offset, n);
  const pb = viewOffsets(b) ?? denseOffsets(b.offset, n);
  for (let i = 0; i < n; i++) o[i] = c[pc[i]] ? x[pa[i]] : y[pb[i]];
}

function denseOffsets(offset: number, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = offset + i;
  return out;
}
