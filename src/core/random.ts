// src/core/random.ts — the CPU sampling kernels of PyTorch 1.13 (uniform_, normal_, randint_, randperm,
// bernoulli_, exponential_), reproduced bit for bit; generator.ts holds torch.Generator itself.
//
// Every fill function consumes the generator in exactly the order PyTorch's CPU kernels do for a
// contiguous tensor, and rounds exactly where PyTorch's compiled code rounds. PyTorch 1.13's CPU kernels
// are built for several instruction sets and dispatched at run time; on x86-64 machines with AVX2 (the
// common case, and the reference build this file was checked against) the AVX2 build is used, in which
// GCC fuses `a * b + c` into fused multiply-adds. Those fusions change low bits, so they are emulated
// (`fmaf`, `fmad` in libm.ts, with the rest of the compiled math these kernels call).

import { allocArray } from './dtype.js';
import type { Generator } from './generator.js';
import { fmad, fmaf, logAvx, logCR, sinCosCR, sincosAvx } from './libm.js';

export { defaultGenerator, Generator, type GeneratorState } from './generator.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_M24 = 1 / 16777216;
const TWO_POW_M53 = 1 / 9007199254740992;

// ---------------------------------------------------------------------------------------------------------
// Exact helpers

/** uniform_real_distribution<double>(0, 1): the low 53 bits of random64, scaled by 2^-53 (exact). */
export function uniform53(gen: Generator): number {
  const hi = gen.random();
  const lo = gen.random();
  return ((hi & 0x1fffff) * TWO_POW_32 + lo) * TWO_POW_M53;
}

/** uniform_real_distribution<float>(0, 1): the low 24 bits of random(), scaled by 2^-24 (exact). */
function uniform24(gen: Generator): number {
  return (gen.random() & 0xffffff) * TWO_POW_M24;
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

const F_TWO_PI = Math.fround(2 * Math.PI);

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

/**
 * torch.randn / Tensor.normal_(mean, std) for a contiguous float32 or float64 tensor, or, with
 * `elementwise`, for the elements of a non-contiguous one in memory order.
 */
export function normal_(gen: Generator, out: FloatOut, mean: number, std: number, dtype: 'float32' | 'float64', elementwise = false): void {
  const n = out.length;
  if (n < 16 || elementwise) {
    // Small and non-contiguous tensors go through the scalar normal_distribution<double>, which caches its second value.
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

/** Throws unless [low, high) is a non-empty range of integers, as randint_ needs. */
export function checkIntRange(low: number, high: number): void {
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new RangeError('randint_ expects integer bounds');
  if (!(high > low)) throw new RangeError(`randint_ expects low < high, got [${low}, ${high})`);
}

/** torch.randint(low, high) / Tensor.random_(low, high): PyTorch's random_from_to kernel. */
export function randint_(gen: Generator, out: Float32Array | Float64Array | Int32Array | Uint8Array, low: number, high: number): void {
  checkIntRange(low, high);
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
  const r = allocArray('float64', n) as Float64Array;
  for (let i = 0; i < n; i++) r[i] = i;
  // Forward Fisher-Yates with one 32-bit draw per position, reduced modulo the remaining count.
  for (let i = 0; i < n - 1; i++) {
    const z = gen.random() % (n - i);
    const t = r[i];
    r[i] = r[z + i];
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
