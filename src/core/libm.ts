// src/core/libm.ts — the math of PyTorch's compiled CPU sampling kernels, reproduced bit for bit:
// GCC's fused multiply-adds (`fmaf`, `fmad`), glibc's correctly rounded log, sin and cos, and the
// Cephes-derived float32 log and sincos of PyTorch 1.13's AVX2 normal kernel (see random.ts).

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/**
 * Single-precision fused multiply-add, fround(a*b + c) with one rounding, for float32 inputs.
 * a*b is exact in double; a*b + c rounds once to double and then to float32, which is only wrong when the
 * double lands exactly on a float32 tie that the exact sum did not — detected and corrected here.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  const d = s - r;
  const t = r + 2 * d;
  if (Math.fround(t) !== t) return r; // not a tie: a single rounding agrees
  const bb = s - p;
  const err = (p - (s - bb)) + (c - bb); // exact p + c = s + err
  if (err === 0) return r;
  // s sits exactly halfway between r and t; the exact value lies on err's side of it.
  return (err > 0) === (t > r) ? t : r;
}

// Double-double arithmetic. Results come back through these two module-level slots (hi, lo) so that the
// hot paths allocate nothing.
let ddH = 0;
let ddL = 0;

/** Split a double into two non-overlapping 26-bit halves (Veltkamp), for exact products. */
function splitHi(a: number): number {
  const c = 134217729 * a; // 2^27 + 1
  return c - (c - a);
}

/** Exact rounding error of a*b (a*b = fl(a*b) + twoProdErr(a, b, fl(a*b))). */
function twoProdErr(a: number, b: number, p: number): number {
  const ah = splitHi(a), al = a - ah;
  const bh = splitHi(b), bl = b - bh;
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** (ddH, ddL) = (ah + al) * (bh + bl), to about 2^-104 relative. */
function ddMul(ah: number, al: number, bh: number, bl: number): void {
  const p = ah * bh;
  const e = twoProdErr(ah, bh, p) + (ah * bl + al * bh);
  ddH = p + e;
  ddL = e - (ddH - p);
}

/** (ddH, ddL) = (ah + al) + (bh + bl), to about 2^-104 relative. */
function ddAdd(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const bb = s - ah;
  const e = (ah - (s - bb)) + (bh - bb) + al + bl;
  ddH = s + e;
  ddL = e - (ddH - s);
}

/**
 * Double-precision fused multiply-add, a*b + c with a single rounding, used where PyTorch's AVX2 build
 * fuses double arithmetic (x * std + mean). Exact except in double-rounding corner cases of the tail.
 */
export function fmad(a: number, b: number, c: number): number {
  const p = a * b;
  if (c === 0 || !Number.isFinite(p)) return p + c;
  const pe = twoProdErr(a, b, p);
  const s = p + c;
  const bb = s - p;
  const se = (p - (s - bb)) + (c - bb);
  return s + (se + pe);
}

/** DD reciprocal constant 1/n (hi, lo). */
function ddRecip(n: number): [number, number] {
  const hi = 1 / n;
  const p = hi * n;
  const lo = ((1 - p) - twoProdErr(hi, n, p)) / n;
  return [hi, lo];
}

// Correctly rounded log, sin and cos. PyTorch calls glibc's libm, whose results are correctly rounded in
// all but vanishingly rare cases, while JavaScript engines' Math.log/sin/cos differ from it in the last
// bit for several percent of inputs. Evaluating in double-double and rounding once reproduces glibc.

const LN2_HI = 0.6931471805599453;
const LN2_LO = 2.3190468138462996e-17;
const SQRT2 = Math.SQRT2;
const INV3 = ddRecip(3), INV5 = ddRecip(5), INV7 = ddRecip(7);
const f64buf = new Float64Array(1);
const f64words = new Uint32Array(f64buf.buffer);
// Little-endian word order is universal among JavaScript hosts in practice, but check rather than assume.
const HI_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** Correctly rounded natural log of a positive finite double (glibc-compatible). */
export function logCR(x: number): number {
  if (x === 1) return 0;
  if (!(x > 0) || x === Infinity) return Math.log(x);
  // x = 2^k * m with m in [sqrt(1/2), sqrt(2)).
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54: bring subnormals into the normal range
    k = -54;
  }
  f64buf[0] = x;
  const hw = f64words[HI_WORD];
  k += ((hw >>> 20) & 0x7ff) - 1023;
  f64words[HI_WORD] = (hw & 0x800fffff) | 0x3ff00000;
  let m = f64buf[0];
  if (m > SQRT2) {
    m *= 0.5;
    k += 1;
  }
  // log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| < 0.1716.
  const num = m - 1;
  const dh = m + 1;
  const dv = dh - m;
  const dl = (m - (dh - dv)) + (1 - dv); // m + 1 = dh + dl exactly
  const sh = num / dh;
  const p = sh * dh;
  const sl = ((num - p) - twoProdErr(sh, dh, p) - sh * dl) / dh;
  ddMul(sh, sl, sh, sl);
  const s2h = ddH, s2l = ddL;
  // Tail 1/9 + s2/11 + ... in plain double: its weight is below 2^-23 of the result.
  let t = 1 / 43;
  for (let i = 41; i >= 9; i -= 2) t = 1 / i + s2h * t;
  ddMul(s2h, s2l, t, 0);
  ddAdd(INV7[0], INV7[1], ddH, ddL);
  ddMul(s2h, s2l, ddH, ddL);
  ddAdd(INV5[0], INV5[1], ddH, ddL);
  ddMul(s2h, s2l, ddH, ddL);
  ddAdd(INV3[0], INV3[1], ddH, ddL);
  ddMul(s2h, s2l, ddH, ddL);
  ddAdd(1, 0, ddH, ddL);
  ddMul(2 * sh, 2 * sl, ddH, ddL);
  if (k === 0) return ddH + ddL;
  const lh = ddH, ll = ddL;
  const kh = k * LN2_HI;
  ddAdd(kh, twoProdErr(k, LN2_HI, kh) + k * LN2_LO, lh, ll);
  return ddH + ddL;
}

// pi/2 in four pieces; the first three have trailing zero bits so that k * piece is exact for small k.
const PIO2_1 = 1.57079632673412561417e+00;
const PIO2_2 = 6.07710050630396597660e-11;
const PIO2_3 = 2.02226624871116645580e-21;
const PIO2_3T = 8.47842766036889956997e-32;
const INV6 = ddRecip(6), INV120 = ddRecip(120), INV5040 = ddRecip(5040);
const INV2 = [0.5, 0] as const, INV24 = ddRecip(24), INV720 = ddRecip(720), INV40320 = ddRecip(40320);

/** Signed Taylor coefficients (-1)^(n/2) / n! for n = from, from + 2, ..., 27 or 28 (truncation < 2^-100). */
function taylorTail(from: number): Float64Array {
  const out: number[] = [];
  for (let n = from; n <= from + 18; n += 2) {
    let f = 1;
    for (let i = 2; i <= n; i++) f /= i;
    out.push(((n >> 1) & 1) === 1 ? -f : f);
  }
  return Float64Array.from(out);
}
const SIN_TAIL = taylorTail(9);
const COS_TAIL = taylorTail(10);

/** sin(r) for a reduced double-double |r| <= pi/4 + tiny, into (ddH, ddL). */
function sinDD(rh: number, rl: number, r2h: number, r2l: number): void {
  // Tail 1/9! - r2/11! + ... in double (its weight is below 2^-21 of the result).
  let t = 0;
  for (let i = SIN_TAIL.length - 1; i >= 0; i--) t = SIN_TAIL[i] + r2h * t;
  ddMul(r2h, r2l, t, 0);
  ddAdd(-INV5040[0], -INV5040[1], ddH, ddL);
  ddMul(r2h, r2l, ddH, ddL);
  ddAdd(INV120[0], INV120[1], ddH, ddL);
  ddMul(r2h, r2l, ddH, ddL);
  ddAdd(-INV6[0], -INV6[1], ddH, ddL);
  ddMul(r2h, r2l, ddH, ddL);
  ddAdd(1, 0, ddH, ddL);
  ddMul(rh, rl, ddH, ddL);
}

/** cos(r) for a reduced double-double |r| <= pi/4 + tiny, into (ddH, ddL). */
function cosDD(r2h: number, r2l: number): void {
  let t = 0;
  for (let i = COS_TAIL.length - 1; i >= 0; i--) t = COS_TAIL[i] + r2h * t;
  ddMul(r2h, r2l, t, 0);
  ddAdd(INV40320[0], INV40320[1], ddH, ddL);
  ddMul(r2h, r2l, ddH, ddL);
  ddAdd(-INV720[0], -INV720[1], ddH, ddL);
  ddMul(r2h, r2l, ddH, ddL);
  ddAdd(INV24[0], INV24[1], ddH, ddL);
  ddMul(r2h, r2l, ddH, ddL);
  ddAdd(-INV2[0], -INV2[1], ddH, ddL);
  ddMul(r2h, r2l, ddH, ddL);
  ddAdd(1, 0, ddH, ddL);
}

/** Correctly rounded sin (which = 0) or cos (which = 1) of x, for |x| up to about 1e6 (glibc-compatible). */
export function sinCosCR(x: number, which: 0 | 1): number {
  if (!Number.isFinite(x) || Math.abs(x) > 1e6) return which === 0 ? Math.sin(x) : Math.cos(x);
  if (x === 0) return which === 0 ? x : 1;
  const k = Math.round(x * (2 / Math.PI));
  // r = x - k*pi/2 as a double-double; the first difference is exact (Sterbenz) and the rest are tiny.
  const a = x - k * PIO2_1;
  const b = k * PIO2_2;
  let h = a - b;
  let bb = h - a;
  let l = (a - (h - bb)) + (-b - bb);
  const c = k * PIO2_3;
  const h2 = h - c;
  bb = h2 - h;
  l += (h - (h2 - bb)) + (-c - bb) - k * PIO2_3T;
  h = h2 + l;
  l = l - (h - h2);
  ddMul(h, l, h, l);
  const r2h = ddH, r2l = ddL;
  const q = (((k % 4) + 4) % 4 + which) % 4; // quadrant, shifted by one for cos(x) = sin(x + pi/2)
  if ((q & 1) === 0) sinDD(h, l, r2h, r2l);
  else cosDD(r2h, r2l);
  const v = ddH + ddL;
  return q >= 2 ? -v : v;
}

// Constants of the Cephes-derived single-precision log/sincos used by PyTorch's AVX2 normal kernel.
const F_SQRTHF = Math.fround(0.707106781186547524);
const F_LOG_P0 = Math.fround(7.0376836292e-2);
const F_LOG_P1 = Math.fround(-1.1514610310e-1);
const F_LOG_P2 = Math.fround(1.1676998740e-1);
const F_LOG_P3 = Math.fround(-1.2420140846e-1);
const F_LOG_P4 = Math.fround(1.4249322787e-1);
const F_LOG_P5 = Math.fround(-1.6668057665e-1);
const F_LOG_P6 = Math.fround(2.0000714765e-1);
const F_LOG_P7 = Math.fround(-2.4999993993e-1);
const F_LOG_P8 = Math.fround(3.3333331174e-1);
const F_LOG_Q1 = Math.fround(-2.12194440e-4);
const F_LOG_Q2 = Math.fround(0.693359375);
const F_DP1 = Math.fround(-0.78515625);
const F_DP2 = Math.fround(-2.4187564849853515625e-4);
const F_DP3 = Math.fround(-3.77489497744594108e-8);
const F_SIN_P0 = Math.fround(-1.9515295891e-4);
const F_SIN_P1 = Math.fround(8.3321608736e-3);
const F_SIN_P2 = Math.fround(-1.6666654611e-1);
const F_COS_P0 = Math.fround(2.443315711809948e-5);
const F_COS_P1 = Math.fround(-1.388731625493765e-3);
const F_COS_P2 = Math.fround(4.166664568298827e-2);
const F_FOPI = Math.fround(1.27323954473516);

/** Single-precision natural log of x in (0, 1], evaluated exactly as the AVX2 kernel does. */
export function logAvx(x: number): number {
  f32buf[0] = x;
  const bits = u32buf[0];
  let e = (bits >>> 23) - 127 + 1;
  u32buf[0] = (bits & 0x807fffff) | 0x3f000000;
  let m = f32buf[0];
  if (m < F_SQRTHF) {
    e -= 1;
    m = Math.fround(Math.fround(m - 1) + m);
  } else {
    m = Math.fround(m - 1);
  }
  const z = Math.fround(m * m);
  let y = fmaf(F_LOG_P0, m, F_LOG_P1);
  y = fmaf(y, m, F_LOG_P2);
  y = fmaf(y, m, F_LOG_P3);
  y = fmaf(y, m, F_LOG_P4);
  y = fmaf(y, m, F_LOG_P5);
  y = fmaf(y, m, F_LOG_P6);
  y = fmaf(y, m, F_LOG_P7);
  y = fmaf(y, m, F_LOG_P8);
  y = Math.fround(y * m);
  y = fmaf(y, z, Math.fround(e * F_LOG_Q1));
  y = fmaf(-z, 0.5, y);
  const xy = Math.fround(m + y);
  return fmaf(e, F_LOG_Q2, xy);
}

/** Single-precision sin and cos of x >= 0 as the AVX2 kernel computes them; writes [sin, cos] to `res`. */
export function sincosAvx(x: number, res: Float64Array): void {
  let j = Math.trunc(Math.fround(x * F_FOPI));
  j = (j + 1) & ~1;
  const y = j;
  const swapSin = (j & 4) !== 0;
  const polyCos = (j & 2) === 0; // the cosine polynomial gives cos; the sine one gives sin
  const cosNeg = ((j - 2) & 4) === 0;
  let r = fmaf(y, F_DP1, x);
  r = fmaf(y, F_DP2, r);
  r = fmaf(y, F_DP3, r);
  const z = Math.fround(r * r);
  let c = fmaf(F_COS_P0, z, F_COS_P1);
  c = fmaf(c, z, F_COS_P2);
  c = Math.fround(c * z);
  c = fmaf(c, z, -Math.fround(z * 0.5));
  c = Math.fround(c + 1);
  let s = fmaf(F_SIN_P0, z, F_SIN_P1);
  s = fmaf(s, z, F_SIN_P2);
  s = Math.fround(s * z);
  s = fmaf(s, r, r);
  let sinv = polyCos ? s : c;
  let cosv = polyCos ? c : s;
  if (swapSin) sinv = -sinv;
  if (cosNeg) cosv = -cosv;
  res[0] = sinv;
  res[1] = cosv;
}
