// src/backends/webgpu/elementwise.ts — pointwise kernels over strided views: unary, binary, comparisons, where,
// copies with casts, fill and accumulation. One WGSL module per (op, dtypes, rank), sizes in the parameters.
import type { DType } from '../../core/dtype.js';
import type { BinaryOp, UnaryOp } from '../backend.js';
import { coalesce } from '../native/views.js';
import { type Element, grid, type GpuRuntime, type Params } from './runtime.js';
import type { GpuStorage, GpuView } from './storage.js';
import { bindings, convert, elementOf, MAIN, MAX_RANK, stridedAt } from './wgsl.js';

const FLOAT_UNARY: Record<UnaryOp, string> = {
  neg: '-v', exp: 'exp(v)', log: 'logf(v)', sqrt: 'select(sqrt(v), nan(), v < 0.0)', rsqrt: 'select(inverseSqrt(v), nan(), v < 0.0)', abs: 'abs(v)',
  sign: 'sign(v)', sigmoid: '1.0 / (1.0 + exp(-v))', tanh: 'tanh(clamp(v, -20.0, 20.0))',
  relu: 'select(0.0, v, v > 0.0)', sin: 'sin(v)', cos: 'cos(v)', log1p: 'log1p(v)', expm1: 'expm1(v)',
  floor: 'floor(v)', ceil: 'ceil(v)', round: 'round(v)', trunc: 'trunc(v)', reciprocal: '1.0 / v', erf: 'erf(v)',
  logicalNot: 'u32((bitcast<u32>(v) & 0x7fffffffu) == 0u)', isnan: 'u32(isnan_(v))',
  erfinv: 'erfinv(v)', lgamma: 'lgamma(v)', digamma: 'digamma(v)', trigamma: 'trigamma(v)',
};
const INT_UNARY: Partial<Record<UnaryOp, string>> = {
  neg: '-v', abs: 'abs(v)', sign: 'sign(v)', relu: 'max(v, 0)', floor: 'v', ceil: 'v', round: 'v', trunc: 'v',
  logicalNot: 'u32(v == 0)', isnan: '0u',
};
const UINT_UNARY: Partial<Record<UnaryOp, string>> = {
  neg: '0u - v', abs: 'v', sign: 'u32(v != 0u)', relu: 'v', floor: 'v', ceil: 'v', round: 'v', trunc: 'v',
  logicalNot: 'u32(v == 0u)', isnan: '0u',
};

// WGSL lets implementations assume there are no NaNs (SwiftShader's exp(NaN) is inf, and `v != v` may fold to
// false), so NaN is tested on the bits and made from a variable's bits (WGSL refuses NaN constants), and the
// functions return it themselves outside their domain.
// log1p and expm1 in the classic accurate forms (WGSL has neither); erf after Abramowitz & Stegun 7.1.26
// refined to float32 accuracy by one Newton step is more than f32 needs: 7.1.26 alone errs by 1.5e-7.
const FLOAT_HELPERS = `
fn isnan_(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn nan() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn logf(v: f32) -> f32 { return select(log(v), nan(), v < 0.0); }
fn log1p(v: f32) -> f32 { let u = 1.0 + v; if (u == 1.0) { return v; } return logf(u) * v / (u - 1.0); }
fn expm1(v: f32) -> f32 {
  if (abs(v) < 1e-5) { return v + 0.5 * v * v; }
  if (v > 80.0) { return exp(v); }
  let u = exp(v);
  if (u == 1.0) { return v; }
  let m = u - 1.0;
  if (m == -1.0) { return -1.0; }
  return m * v / log(u);
}
fn erf(v: f32) -> f32 {
  let a = abs(v);
  let t = 1.0 / (1.0 + 0.3275911 * a);
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-a * a);
  return select(y, -y, v < 0.0);
}
fn inf_() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }
fn erfinv(y: f32) -> f32 {
  let ay = abs(y);
  if (ay > 1.0 || isnan_(y)) { return nan(); }
  if (ay == 1.0) { return select(inf_(), -inf_(), y < 0.0); }
  var x: f32;
  if (ay <= 0.7) {
    let z = y * y;
    x = y * (((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899)
      / ((((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1.0);
  } else {
    let z = sqrt(-log((1.0 - ay) / 2.0));
    let num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    x = select(abs(num), -abs(num), y < 0.0) / ((1.6370678 * z + 3.5438892) * z + 1.0);
  }
  x = x - (erf(x) - y) / (1.1283791670955126 * exp(-x * x));
  x = x - (erf(x) - y) / (1.1283791670955126 * exp(-x * x));
  return x;
}
// lgamma of x > 0: Stirling's series once x is pushed past 8, less the log of the product that pushed it.
fn lgamma_pos(x0: f32) -> f32 {
  var x = x0;
  var prod = 1.0;
  loop { if (x >= 8.0) { break; } prod = prod * x; x = x + 1.0; }
  let z = 1.0 / x;
  let y = z * z;
  let w = 0.41893853320467273 + z * (0.08333333333333297 + y * (-0.0027777777772877554 + y * (0.0007936505586430196 + y * -0.0005951875574503400)));
  return (x - 0.5) * (log(x) - 1.0) + w - log(prod);
}
// sin(πx) by its Taylor series on [-1/2, 1/2] after exact reduction (WGSL's sin may err by 2^-11 there); 0 at the
// integers. The reflections of lgamma, digamma and trigamma subtract nearly equal terms and need the accuracy.
fn sinpi(x: f32) -> f32 {
  var r = x - 2.0 * floor(x / 2.0);
  r = select(r, r - 2.0, r >= 1.0);
  r = select(r, 1.0 - r, r > 0.5);
  r = select(r, -1.0 - r, r < -0.5);
  let t = r * r;
  return r * (3.141592653589793 + t * (-5.16771278004997 + t * (2.5501640398773455 + t * (-0.5992645293207921
    + t * (0.08214588661112823 - t * 0.007370430945714350)))));
}
fn lgamma(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (x > 0.0) { return lgamma_pos(x); }
  let s = abs(sinpi(x));
  if (s == 0.0) { return inf_(); }
  return log(3.141592653589793 / s) - lgamma_pos(1.0 - x);
}
fn digamma(x0: f32) -> f32 {
  var x = x0;
  if (x == 0.0) { return select(-inf_(), inf_(), (bitcast<u32>(x) >> 31u) == 1u); }
  var result = 0.0;
  if (x < 0.0) {
    if (x == trunc(x)) { return nan(); }
    let r = x - trunc(x);
    result = -3.141592653589793 * sinpi(r + 0.5) / sinpi(r);
    x = 1.0 - x;
  }
  loop { if (x >= 10.0) { break; } result = result - 1.0 / x; x = x + 1.0; }
  let z = 1.0 / (x * x);
  let p = (((((0.08333333333333333 * z - 0.021092796092796094) * z + 0.007575757575757576) * z - 0.004166666666666667) * z
    + 0.003968253968253968) * z - 0.008333333333333333) * z + 0.08333333333333333;
  return result + log(x) - 0.5 / x - z * p;
}
fn trigamma(x0: f32) -> f32 {
  var x = x0;
  var sign = 1.0;
  var result = 0.0;
  if (x < 0.5) {
    sign = -1.0;
    let s = sinpi(x);
    result = -9.869604401089358 / (s * s);
    x = 1.0 - x;
  }
  for (var i = 0; i < 6; i++) { result = result + 1.0 / (x * x); x = x + 1.0; }
  let ixx = 1.0 / (x * x);
  result = result + (1.0 + 1.0 / (2.0 * x) + ixx * (1.0 / 6.0 - ixx * (1.0 / 30.0 - ixx * (1.0 / 42.0)))) / x;
  return sign * result;
}
fn powf(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return a + b; }
  if ((bitcast<u32>(b) & 0x7fffffffu) == 0x7f800000u) {
    let m = abs(a);
    if (m == 1.0) { return 1.0; }
    return select(0.0, abs(b), (m > 1.0) == (b > 0.0));
  }
  let infinite = (bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u;
  if (a == 0.0 || infinite) {
    // IEEE pow: 0^b and ∞^b are 0 or ∞ by the sign of b, negative for a negative base and an odd integer b.
    var inf = 0x7f800000u;
    let mag = select(0.0, bitcast<f32>(inf), (b < 0.0) != infinite);
    let odd = fract(b) == 0.0 && (i32(b) & 1) != 0;
    return select(mag, -mag, odd && (bitcast<u32>(a) >> 31u) == 1u);
  }
  if (a > 0.0) { return pow(a, b); }
  if (fract(b) != 0.0) { return nan(); }
  let r = pow(-a, b);
  return select(r, -r, (i32(b) & 1) != 0);
}`;

const INT_HELPERS = `
fn floordiv(a: i32, b: i32) -> i32 { let q = a / b; return select(q, q - 1, (a % b != 0) && ((a < 0) != (b < 0))); }
fn pymod(a: i32, b: i32) -> i32 { let r = a % b; return select(r, r + b, r != 0 && ((r < 0) != (b < 0))); }
fn ipow(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(0, select(1, select(-1, 1, (b & 1) == 0), a == -1), a == 1 || a == -1); }
  var r = 1; var x = a; var e = b;
  loop { if (e == 0) { break; } if ((e & 1) == 1) { r = r * x; } x = x * x; e = e >> 1u; }
  return r;
}`;

type Arith = Exclude<BinaryOp, 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'logicalAnd' | 'logicalOr' | 'logicalXor'>;
const COMPARE: Partial<Record<BinaryOp, string>> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const LOGICAL: Partial<Record<BinaryOp, string>> = { logicalAnd: '&&', logicalOr: '||', logicalXor: '!=' };
const FLOAT_BINARY: Record<Arith, string> = {
  add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'a / b', pow: 'powf(a, b)',
  maximum: 'max(a, b)', minimum: 'min(a, b)',
  atan2: 'atan2(a, b)', floorDivide: 'floor(a / b)', remainder: 'a - b * floor(a / b)', fmod: 'a - b * trunc(a / b)',
  thresholdBackward: 'select(0.0, a, b > 0.0 || isnan_(b))',
};
const INT_BINARY: Record<Arith, string> = {
  add: 'a + b', sub: 'a - b', mul: 'a * b', div: 'a / b', pow: 'ipow(a, b)', maximum: 'max(a, b)', minimum: 'min(a, b)',
  atan2: 'a', floorDivide: 'floordiv(a, b)', remainder: 'pymod(a, b)', fmod: 'a % b', thresholdBackward: 'select(0, a, b > 0)',
};

/** Whether an element is non-zero; for floats on the bits, so that NaN counts as true (see the NaN note above). */
const truthy = (v: string, e: Element): string =>
  e === 'f32' ? `((bitcast<u32>(${v}) & 0x7fffffffu) != 0u)` : `(${v} != ${e === 'i32' ? '0i' : '0u'})`;

/** Views of one shape, merged to the fewest dims that all walk alike. */
function merged(shape: readonly number[], views: readonly GpuView[]): [number[], number[][]] {
  const [dims, strides] = coalesce(shape, ...views.map((v) => v.strides));
  if (dims.length > MAX_RANK) throw new Error(`webgpu: views of more than ${MAX_RANK} non-mergeable dims are not supported`);
  return [dims, strides];
}

/** Writes the parameters `stridedAt` reads: count, offsets, shape, strides. */
function strided(p: Params, n: number, dims: readonly number[], views: readonly GpuView[], strides: readonly (readonly number[])[]): Params {
  p.u32(n, ...views.map((v) => v.offset), ...dims);
  for (const s of strides) p.u32(...s);
  return p;
}

const numelOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The pointwise kernels of the webgpu backend. */
export function elementwiseKernels(rt: GpuRuntime) {
  const maxGroups = rt.device.limits.maxComputeWorkgroupsPerDimension;

  /** Runs a kernel writing `out` (contiguous) from `views`; `body` computes `o[i]` from `x0..xK` (the loaded inputs). */
  function pointwise(name: string, views: readonly GpuView[], out: GpuStorage, outDtype: DType, body: string, helpers = ''): void {
    const n = numelOf(views[0].shape);
    if (n === 0) return;
    const [dims, strides] = merged(views[0].shape, views);
    // WebGPU forbids binding one buffer as writable and readable in a dispatch: an in-place op computes
    // into a fresh buffer and copies back.
    const aliased = views.some((v) => v.storage.buffer === out.buffer);
    const target = aliased ? rt.acquire(out.numel * 4) : out.buffer;
    // name, dtypes and rank determine body and helpers.
    const key = `${name}|${views.map((v) => v.storage.dtype).join()}|${outDtype}|${dims.length}`;
    const code = rt.source(key, () => [
      `// ${name}`,
      bindings([...views.map((v, k) => [`x${k}`, elementOf(v.storage.dtype), false] as const), ['o', elementOf(outDtype), true]]),
      helpers,
      stridedAt(dims.length, views.length),
      MAIN,
      '  let at_ = at(i);',
      ...views.map((_, k) => `  let x${k}v = x${k}[at_[${k}]];`),
      `  o[i] = ${body};`,
      '}',
    ].join('\n'));
    rt.dispatch(code, [...views.map((v) => v.storage.buffer), target], grid(n, maxGroups), (p) => strided(p, n, dims, views, strides));
    if (aliased) {
      rt.copyBuffer(target, 0, out.buffer, 0, n * 4);
      rt.release(target);
    }
  }

  const unaryExpr = (op: UnaryOp, dtype: DType): string => {
    const e = elementOf(dtype);
    const table = e === 'f32' ? FLOAT_UNARY : e === 'i32' ? INT_UNARY : UINT_UNARY;
    const expr = table[op];
    if (expr === undefined) throw new Error(`webgpu: unary ${op} on ${dtype}`);
    return expr;
  };

  return {
    unary(op: UnaryOp, x: GpuView, out: GpuStorage): void {
      const dtype = x.storage.dtype;
      const outDtype = op === 'logicalNot' || op === 'isnan' ? 'bool' : dtype;
      const body = wrap(outDtype, `f(x0v)`);
      // A float result keeps a NaN input (see the NaN note above), as the CPU backends do.
      const keepNan = elementOf(dtype) === 'f32' && outDtype === dtype;
      const helpers = `${elementOf(dtype) === 'f32' ? FLOAT_HELPERS : ''}
fn f(v: ${elementOf(dtype)}) -> ${elementOf(outDtype)} { let r = ${unaryExpr(op, dtype)}; return ${keepNan ? 'select(r, v, isnan_(v))' : 'r'}; }`;
      pointwise(`unary ${op}`, [x], out, outDtype, body, helpers);
    },

    binary(op: BinaryOp, a: GpuView, b: GpuView, out: GpuStorage): void {
      const dtype = a.storage.dtype, e = elementOf(dtype);
      const cmp = COMPARE[op], logical = LOGICAL[op];
      let body: string, outDtype: DType = dtype, helpers = '';
      if (cmp !== undefined) {
        // NaN compares unequal to everything; the bits decide, not the compiler (see the NaN note above).
        const nan = 'isnan_(x0v) || isnan_(x1v)';
        body = e !== 'f32' ? `u32(x0v ${cmp} x1v)` : op === 'ne' ? `u32(x0v != x1v || ${nan})` : `u32(x0v ${cmp} x1v && !(${nan}))`;
        helpers = e === 'f32' ? FLOAT_HELPERS : '';
        outDtype = 'bool';
      } else if (logical !== undefined) {
        body = `u32(${truthy('x0v', e)} ${logical} ${truthy('x1v', e)})`;
        outDtype = 'bool';
      } else {
        const table = e === 'f32' ? FLOAT_BINARY : INT_BINARY;
        // A NaN operand makes a NaN result (a + b carries it through the hardware), save where the op has its own
        // rule for NaN (pow's x^0 = 1, threshold_backward).
        const ret = e === 'f32' && op !== 'thresholdBackward' && op !== 'pow' ? 'select(r, a + b, isnan_(a) || isnan_(b))' : 'r';
        helpers = `${e === 'f32' ? FLOAT_HELPERS : INT_HELPERS}
fn f(a: ${e === 'u32' ? 'i32' : e}, b: ${e === 'u32' ? 'i32' : e}) -> ${e === 'u32' ? 'i32' : e} { let r = ${table[op as Arith]}; return ${ret}; }`;
        body = wrap(dtype, e === 'u32' ? 'u32(f(i32(x0v), i32(x1v)))' : 'f(x0v, x1v)');
      }
      pointwise(`binary ${op}`, [a, b], out, outDtype, body, helpers);
    },

    where(cond: GpuView, a: GpuView, b: GpuView, out: GpuStorage): void {
      pointwise('where', [cond, a, b], out, a.storage.dtype, 'select(x2v, x1v, x0v != 0u)');
    },

    /** dst[i] = cast(src[i]) through both layouts. */
    copy(src: GpuView, dst: GpuView): void {
      const n = numelOf(dst.shape);
      if (n === 0) return;
      const [dims, strides] = merged(dst.shape, [src, dst]);
      const from = elementOf(src.storage.dtype), to = dst.storage.dtype;
      const aliased = src.storage.buffer === dst.storage.buffer;
      // A copy within one buffer (a view into its own storage) goes through a fresh one: WebGPU cannot bind it twice.
      const source = aliased ? rt.acquire(src.storage.numel * 4) : src.storage.buffer;
      if (aliased) rt.copyBuffer(src.storage.buffer, 0, source, 0, src.storage.numel * 4);
      const code = [
        `// copy ${src.storage.dtype} -> ${to}`,
        bindings([['x', from, false], ['o', elementOf(to), true]]),
        stridedAt(dims.length, 2),
        MAIN,
        '  let at_ = at(i);',
        `  o[at_[1]] = ${convert('x[at_[0]]', from, to)};`,
        '}',
      ].join('\n');
      rt.dispatch(code, [source, dst.storage.buffer], grid(n, maxGroups), (p) => strided(p, n, dims, [src, dst], strides));
      if (aliased) rt.release(source);
    },

    /** dst[i] = value through dst's layout. */
    fill(dst: GpuView, value: number): void {
      const n = numelOf(dst.shape);
      if (n === 0) return;
      const [dims, strides] = merged(dst.shape, [dst]);
      const e = elementOf(dst.storage.dtype);
      const code = [
        `// fill ${dst.storage.dtype}`,
        bindings([['o', e, true]]),
        stridedAt(dims.length, 1),
        MAIN,
        `  o[at(i)[0]] = bitcast<${e}>(p[${2 + 2 * dims.length}]);`,
        '}',
      ].join('\n');
      const bits = new DataView(new ArrayBuffer(4));
      if (e === 'f32') bits.setFloat32(0, value, true);
      else if (dst.storage.dtype === 'bool') bits.setUint32(0, value !== 0 ? 1 : 0, true);
      else if (e === 'u32') bits.setUint32(0, Math.trunc(value) & 255, true);
      else bits.setInt32(0, Math.trunc(value), true);
      rt.dispatch(code, [dst.storage.buffer], grid(n, maxGroups), (p) => strided(p, n, dims, [dst], strides).u32(bits.getUint32(0, true)));
    },
  };
}

/** Keeps an arithmetic result a valid element of `dtype`: bools stay 0/1, uint8 wraps. */
function wrap(dtype: DType, expr: string): string {
  if (dtype === 'bool') return `u32(${expr} != 0u)`;
  if (dtype === 'uint8') return `(${expr} & 255u)`;
  return expr;
}
