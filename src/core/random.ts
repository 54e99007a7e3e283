// src/core/random.ts — torch.Generator (mt19937) and the CPU sampling kernels of PyTorch 1.13, reproduced bit for bit.
//
// Every fill function consumes the generator in exactly the order PyTorch's CPU kernels do for a
// contiguous tensor, and rounds exactly where PyTorch's compiled code rounds. PyTorch 1.13's CPU kernels
// are built for several instruction sets and dispatched at run time; on x86-64 machines with AVX2 (the
// common case, and the reference build this file was checked against) the AVX2 build is used, in which
// GCC fuses `a * b + c` into fused multiply-adds. Those fusions change low bits, so they are emulated
// here (`fmaf`, `fmad`).

const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** PyTorch's default CPU generator seed (c10::detail::default_rng_seed_val). */
const DEFAULT_SEED = 67280421310721;

const TWO_POW_32 = 4294967296;
const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_M53 = 1 / 9007199254740992;

/** Serialisable snapshot of a Generator (plain JSON-compatible data). */
export interface GeneratorState {
  /** The 64-bit initial seed as a decimal string (a number would lose bits above 2^53). */
  seed: string;
  /** The 624-word mt19937 state. */
  mt: number[];
  /** PyTorch's `left_` counter: draws remaining before the next twist, plus one. */
  left: number;
  /** PyTorch's `next_` index into `mt`. */
  next: number;
  /** Cached second Box-Muller value of normal_distribution<double>, or null. */
  nextDoubleNormal: number | null;
  /** Cached second Box-Muller value of normal_distribution<float>, or null. */
  nextFloatNormal: number | null;
}

/** torch.Generator: a Mersenne Twister seeded as PyTorch seeds it. */
export class Generator {
  private readonly mt = new Uint32Array(MT_N);
  private left = 1;
  private next = 0;
  private seedHi = 0;
  private seedLo = 0;
  /** @internal cached normal of normal_distribution<double> (next_double_normal_sample). */
  nextDoubleNormal: number | null = null;
  /** @internal cached normal of normal_distribution<float> (next_float_normal_sample). */
  nextFloatNormal: number | null = null;

  /** Create a generator; the default seed matches PyTorch's default CPU generator. */
  constructor(seed: number = DEFAULT_SEED) {
    this.manualSeed(seed);
  }

  /** Reseed (torch.manual_seed semantics: 64-bit seed, mt19937 uses its low 32 bits). */
  manualSeed(seed: number | bigint): this {
    let big: bigint;
    if (typeof seed === 'bigint') {
      big = seed;
    } else {
      if (!Number.isInteger(seed)) throw new RangeError(`manualSeed expects an integer, got ${seed}`);
      big = BigInt(seed);
    }
    // PyTorch reads the seed as uint64, so negative seeds wrap around.
    big = BigInt.asUintN(64, big);
    this.seedHi = Number(big >> 32n);
    this.seedLo = Number(big & 0xffffffffn);
    this.initWithUint32(this.seedLo);
    this.nextDoubleNormal = null;
    this.nextFloatNormal = null;
    return this;
  }

  /** Seed from a non-deterministic source (like torch.seed()); returns the seed used. */
  seed(): number {
    let s: number;
    const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
    if (c !== undefined && typeof c.getRandomValues === 'function') {
      const w = c.getRandomValues(new Uint32Array(2));
      // PyTorch keeps 53 bits so the seed survives a round trip through a Python float.
      s = (w[0] & 0x1fffff) * TWO_POW_32 + w[1];
    } else {
      s = Math.floor(Math.random() * 2 ** 53);
    }
    this.manualSeed(s);
    return s;
  }

  /** The seed last given to manualSeed/seed (exact up to 2^53). */
  initialSeed(): number {
    return this.seedHi * TWO_POW_32 + this.seedLo;
  }

  /** Deep-copied snapshot of the generator. */
  getState(): GeneratorState {
    const seed = ((BigInt(this.seedHi) << 32n) | BigInt(this.seedLo)).toString();
    return {
      seed,
      mt: Array.from(this.mt),
      left: this.left,
      next: this.next,
      nextDoubleNormal: this.nextDoubleNormal,
      nextFloatNormal: this.nextFloatNormal,
    };
  }

  /** Restore a snapshot taken with getState. */
  setState(state: GeneratorState): this {
    if (state.mt.length !== MT_N) throw new RangeError(`GeneratorState.mt must have ${MT_N} words`);
    if (!(state.left >= 1 && state.left <= MT_N + 1) || !(state.next >= 0 && state.next <= MT_N)) {
      throw new RangeError('GeneratorState has an invalid left/next position');
    }
    const big = BigInt.asUintN(64, BigInt(state.seed));
    this.seedHi = Number(big >> 32n);
    this.seedLo = Number(big & 0xffffffffn);
    for (let i = 0; i < MT_N; i++) this.mt[i] = state.mt[i]!;
    this.left = state.left;
    this.next = state.next;
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.nextFloatNormal = state.nextFloatNormal;
    return this;
  }

  /** Raw 32-bit draw (uint32), as mt19937::operator(). */
  random(): number {
    if (--this.left === 0) this.twist();
    let y = this.mt[this.next++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** PyTorch's random64: the first 32-bit draw is the high word, the second the low word. */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  private initWithUint32(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let j = 1; j < MT_N; j++) {
      const prev = mt[j - 1];
      mt[j] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
  }

  private twist(): void {
    const mt = this.mt;
    let k = 0;
    for (; k < MT_N - MT_M; k++) {
      const y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
      mt[k] = mt[k + MT_M] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    for (; k < MT_N - 1; k++) {
      const y = (mt[k] & UPPER_MASK) | (mt[k + 1] & LOWER_MASK);
      mt[k] = mt[k + MT_M - MT_N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    const y = (mt[MT_N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[MT_N - 1] = mt[MT_M - 1] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    this.left = MT_N;
    this.next = 0;
  }
}

/** The process-wide generator, like torch.default_generator. */
export const defaultGenerator: Generator = new Generator();

// ---------------------------------------------------------------------------------------------------------
// Exact helpers

/** uniform_real_distribution<double>(0, 1): the low 53 bits of random64, scaled by 2^-53 (exact). */
function uniform53(gen: Generator): number {
  const hi = gen.random();
  const lo = gen.random();
  return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53;
}

/** uniform_real_distribution<float>(0, 1): the low 24 bits of random(), scaled by 2^-24 (exact). */
function uniform24(gen: Generator): number {
  return (gen.random() & 0xffffff) * TWO_POW_M24;
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/**
 * Single-precision fused multiply-add, fround(a*b + c) with one rounding, for float32 inputs.
 * a*b is exact in double; a*b + c rounds once to double and then to float32, which is only wrong when the
 * double lands exactly on a float32 tie that the exact sum did not — detected and corrected here.
 */
function fmaf(a: number, b: number, c: number): number {
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
function fmad(a: number, b: number, c: number): number {
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
function logCR(x: number): number {
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
function sinCosCR(x: number, which: 0 | 1): number {
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

// ---------------------------------------------------------------------------------------------------------
// Uniform

type FloatOut = Float32Array | Float64Array;

/** torch.rand / Tensor.uniform_(from, to) for a contiguous float32 or float64 tensor. */
export function uniform_(gen: Generator, out: FloatOut, from: number, to: number, dtype: 'float32' | 'float64'): void {
  const n = out.length;
  if (dtype === 'float32') {
    const f = Math.fround(from);
    const range = Math.fround(Math.fround(to) - f);
    if (f === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = (gen.random() & 0xffffff) * TWO_POW_M24;
    } else {
      for (let i = 0; i < n; i++) out[i] = fmaf((gen.random() & 0xffffff) * TWO_POW_M24, range, f);
    }
  } else {
    const range = to - from;
    if (from === 0 && range === 1) {
      for (let i = 0; i < n; i++) out[i] = uniform53(gen);
    } else {
      for (let i = 0; i < n; i++) out[i] = fmad(uniform53(gen), range, from);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Normal

/** normal_distribution<double>(mean, std), with PyTorch's cached second Box-Muller value. */
function normalDouble(gen: Generator, mean: number, std: number): number {
  const cached = gen.nextDoubleNormal;
  if (cached !== null) {
    gen.nextDoubleNormal = null;
    return fmad(cached, std, mean);
  }
  const u1 = uniform53(gen);
  const u2 = uniform53(gen);
  const r = Math.sqrt(-2 * logCR(1 - u2));
  const theta = 2 * Math.PI * u1;
  gen.nextDoubleNormal = r * sinCosCR(theta, 0);
  return fmad(r * sinCosCR(theta, 1), std, mean);
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
const F_TWO_PI = Math.fround(2 * Math.PI);

/** Single-precision natural log of x in (0, 1], evaluated exactly as the AVX2 kernel does. */
function logAvx(x: number): number {
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
function sincosAvx(x: number, res: Float64Array): void {
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

const scratch2 = new Float64Array(2);

/** Box-Muller over 16 uniforms in place (8 pairs: data[j] and data[j+8]), float32, AVX2 kernel. */
function normalFill16Avx(data: FloatOut, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = Math.fround(1 - data[o + j]);
    const u2 = data[o + j + 8];
    const radius = Math.fround(Math.sqrt(Math.fround(-2 * logAvx(u1))));
    const theta = Math.fround(F_TWO_PI * u2);
    sincosAvx(theta, scratch2);
    data[o + j] = fmaf(Math.fround(radius * scratch2[1]), std, mean);
    data[o + j + 8] = fmaf(Math.fround(radius * scratch2[0]), std, mean);
  }
}

/** Box-Muller over 16 uniforms in place, float64 (scalar kernel with libm log/sin/cos). */
function normalFill16Double(data: FloatOut, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = 1 - data[o + j];
    const u2 = data[o + j + 8];
    const radius = Math.sqrt(-2 * logCR(u1));
    const theta = 2 * Math.PI * u2;
    data[o + j] = fmad(radius * sinCosCR(theta, 1), std, mean);
    data[o + j + 8] = fmad(radius * sinCosCR(theta, 0), std, mean);
  }
}

/** torch.randn / Tensor.normal_(mean, std) for a contiguous float32 or float64 tensor. */
export function normal_(gen: Generator, out: FloatOut, mean: number, std: number, dtype: 'float32' | 'float64'): void {
  const n = out.length;
  if (n < 16) {
    // Small tensors go through the scalar normal_distribution<double>, which caches its second value.
    if (dtype === 'float32') {
      for (let i = 0; i < n; i++) out[i] = Math.fround(normalDouble(gen, mean, std));
    } else {
      for (let i = 0; i < n; i++) out[i] = normalDouble(gen, mean, std);
    }
    return;
  }
  // Large tensors: fill with uniforms, transform in blocks of 16, then redraw and retransform the last 16
  // when n is not a multiple of 16 (the earlier transform of those slots is overwritten).
  if (dtype === 'float32') {
    const m = Math.fround(mean);
    const s = Math.fround(std);
    for (let i = 0; i < n; i++) out[i] = uniform24(gen);
    for (let i = 0; i + 16 <= n; i += 16) normalFill16Avx(out, i, m, s);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = uniform24(gen);
      normalFill16Avx(out, n - 16, m, s);
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = uniform53(gen);
    for (let i = 0; i + 16 <= n; i += 16) normalFill16Double(out, i, mean, std);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) out[i] = uniform53(gen);
      normalFill16Double(out, n - 16, mean, std);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Integers

/** (hi * 2^32 + lo) mod m for 2^32 <= m <= 2^53, without BigInt: shift in the low word bit by bit. */
function mod64(hi: number, lo: number, m: number): number {
  let r = hi % m;
  for (let b = 31; b >= 0; b--) {
    // r < m <= 2^53, so 2r is exact, and r - m after the subtraction is exact too.
    r *= 2;
    if (r >= m) r -= m;
    r += (lo >>> b) & 1;
    if (r >= m) r -= m;
  }
  return r;
}

/** torch.randint(low, high) / Tensor.random_(low, high): PyTorch's random_from_to kernel. */
export function randint_(gen: Generator, out: Float32Array | Float64Array | Int32Array | Uint8Array, low: number, high: number): void {
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new RangeError('randint_ expects integer bounds');
  if (!(high > low)) throw new RangeError(`randint_ expects low < high, got [${low}, ${high})`);
  const range = high - low;
  const n = out.length;
  // 64-bit draws are used only for 64-bit-capable dtypes and only when the range does not fit 32 bits.
  const wide = range >= TWO_POW_32 && (out instanceof Float64Array || out instanceof Float32Array);
  if (!wide) {
    for (let i = 0; i < n; i++) out[i] = (gen.random() % range) + low;
    return;
  }
  if (range > 2 ** 53) {
    const r = BigInt(range);
    const b = BigInt(low);
    for (let i = 0; i < n; i++) out[i] = Number(BigInt.asIntN(64, (gen.random64() % r) + b));
    return;
  }
  for (let i = 0; i < n; i++) {
    const hi = gen.random();
    const lo = gen.random();
    out[i] = mod64(hi, lo, range) + low;
  }
}

/** torch.randperm(n) on CPU (int64 values stored as float64). */
export function randperm(gen: Generator, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm expects a non-negative integer, got ${n}`);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = i;
  // Forward Fisher-Yates with one 32-bit draw per position, reduced modulo the remaining count.
  for (let i = 0; i < n - 1; i++) {
    const z = gen.random() % (n - i);
    const t = r[i];
    r[i] = r[z + i]!;
    r[z + i] = t;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// Bernoulli / exponential

/** Tensor.bernoulli_(p) with scalar p (the mask F.dropout draws): 1 where a 53-bit uniform is below p. */
export function bernoulli_(gen: Generator, out: Float32Array | Float64Array | Uint8Array, p: number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = uniform53(gen) < p ? 1 : 0;
}

/** Tensor.exponential_(lambd): -1/lambd * log(1 - u) with a 53-bit uniform u, computed in double. */
export function exponential_(gen: Generator, out: FloatOut, lambd: number, dtype: 'float32' | 'float64'): void {
  const n = out.length;
  const scale = -1 / lambd;
  if (dtype === 'float32') {
    for (let i = 0; i < n; i++) {
      const x = 1 - uniform53(gen);
      // The engine's Math.log is within an ulp or two of glibc's; only when that uncertainty straddles a
      // float32 rounding boundary is the slower correctly rounded log needed.
      const v = scale * Math.log(x);
      const lo = Math.fround(v * (1 - 2 ** -49));
      out[i] = lo === Math.fround(v * (1 + 2 ** -49)) ? lo : Math.fround(scale * logCR(x));
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = scale * logCR(1 - uniform53(gen));
  }
}
