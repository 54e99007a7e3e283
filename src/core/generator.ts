// src/core/generator.ts — torch.Generator: PyTorch's mt19937, seeded as PyTorch seeds it, with its whole
// state in one typed array that native sampling kernels advance in place (Note [Generator state]).

const MT_N = 624;
const MT_M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** PyTorch's default CPU generator seed (c10::detail::default_rng_seed_val). */
const DEFAULT_SEED = 67280421310721;

const TWO_POW_32 = 4294967296;

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

// Note [Generator state]
// A generator's whole mutable state lives in one buffer, so that native kernels (backend.random) advance it
// in place with no copies: 624 mt19937 words, then `left` and `next` (PyTorch's left_ and next_), two
// spare words, then at byte 2512 four doubles: a flag and the cached second value of
// normal_distribution<double>, likewise for <float>. native/src/kernels/random.h mirrors this layout.
const LEFT = MT_N;
const NEXT = MT_N + 1;
const NORMALS_BYTE = 2512;
const STATE_WORDS = NORMALS_BYTE / 4 + 8;

/** torch.Generator: a Mersenne Twister seeded as PyTorch seeds it. */
export class Generator {
  /** @internal The state buffer of Note [Generator state], as 32-bit words. */
  readonly state = new Uint32Array(STATE_WORDS);
  private readonly normals = new Float64Array(this.state.buffer, NORMALS_BYTE, 4);
  private seedHi = 0;
  private seedLo = 0;

  /** @internal cached normal of normal_distribution<double> (next_double_normal_sample). */
  get nextDoubleNormal(): number | null {
    return this.normals[0] === 0 ? null : this.normals[1];
  }
  set nextDoubleNormal(v: number | null) {
    this.normals[0] = v === null ? 0 : 1;
    this.normals[1] = v ?? 0;
  }
  /** @internal cached normal of normal_distribution<float> (next_float_normal_sample). */
  get nextFloatNormal(): number | null {
    return this.normals[2] === 0 ? null : this.normals[3];
  }
  set nextFloatNormal(v: number | null) {
    this.normals[2] = v === null ? 0 : 1;
    this.normals[3] = v ?? 0;
  }

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
      mt: Array.from(this.state.subarray(0, MT_N)),
      left: this.state[LEFT],
      next: this.state[NEXT],
      nextDoubleNormal: this.nextDoubleNormal,
      nextFloatNormal: this.nextFloatNormal,
    };
  }

  /** Restore a snapshot taken with getState. */
  setState(state: GeneratorState): this {
    if (state.mt.length !== MT_N) throw new RangeError(`GeneratorState.mt must have ${MT_N} words`);
    // Positions a generator reaches: a fresh seed's (1, 0), or left + next = 625 after a twist.
    const { left, next } = state;
    if (!(Number.isInteger(left) && Number.isInteger(next) && (left + next === MT_N + 1 ? left >= 1 && left <= MT_N : left === 1 && next === 0))) {
      throw new RangeError('GeneratorState has an invalid left/next position');
    }
    const big = BigInt.asUintN(64, BigInt(state.seed));
    this.seedHi = Number(big >> 32n);
    this.seedLo = Number(big & 0xffffffffn);
    for (let i = 0; i < MT_N; i++) this.state[i] = state.mt[i];
    this.state[LEFT] = left;
    this.state[NEXT] = next;
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.nextFloatNormal = state.nextFloatNormal;
    return this;
  }

  /** Raw 32-bit draw (uint32), as mt19937::operator(). */
  random(): number {
    const s = this.state;
    if (--s[LEFT] === 0) this.twist();
    let y = s[s[NEXT]++];
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
    const mt = this.state;
    mt[0] = seed >>> 0;
    for (let j = 1; j < MT_N; j++) {
      const prev = mt[j - 1];
      mt[j] = (Math.imul(1812433253, (prev ^ (prev >>> 30)) >>> 0) + j) >>> 0;
    }
    mt[LEFT] = 1;
    mt[NEXT] = 0;
  }

  private twist(): void {
    const mt = this.state;
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
    mt[LEFT] = MT_N;
    mt[NEXT] = 0;
  }
}

/** The process-wide generator, like torch.default_generator. */
export const defaultGenerator: Generator = new Generator();
