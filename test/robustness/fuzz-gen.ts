// test/robustness/fuzz-gen.ts — the fuzzer's random arguments: sizes, dims, dtypes and tensors in every layout.
import * as torch from 'kindling';
import type { DType, Tensor } from 'kindling';

/** A small seeded generator (mulberry32), so that every fuzz call can be replayed from its seed alone. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}

/** The seed of call `i` of a run seeded with `seed`. */
export function callSeed(seed: number, i: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;
}

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'bool', 'uint8'];
const FLOATS: readonly DType[] = ['float32', 'float64'];
/** Sizes no tensor can have, or cannot have and fit in memory: each must give a clear error. */
const BAD_SIZES = [-1, -7, 2.5, NaN, Infinity, -Infinity, 1e12, 2 ** 60];
const GOOD_SIZES = [0, 1, 1, 2, 2, 3, 3, 4, 5];
const LAYOUTS = ['contiguous', 'contiguous', 'contiguous', 'transposed', 'expanded', 'sliced'] as const;

const isFloat = (d: DType): boolean => d === 'float32' || d === 'float64';

/** Random arguments for one call, with a description of each for the report. */
export class Gen {
  readonly rng: Rng;
  readonly notes: string[] = [];
  /** `onNote` sees each argument's description as it is drawn (the child writes them out before calling). */
  constructor(seed: number, private readonly onNote: (text: string) => void = () => {}) {
    this.rng = new Rng(seed);
  }

  /** Records an argument's description and returns the argument. */
  note<T>(what: string, value: T): T {
    this.record(`${what}=${describe(value)}`);
    return value;
  }

  private record(text: string): void {
    this.notes.push(text);
    this.onNote(text);
  }

  /** A size: mostly small, sometimes zero, sometimes one no tensor can have. */
  size(badChance = 0.05): number {
    return this.rng.chance(badChance) ? this.rng.pick(BAD_SIZES) : this.rng.pick(GOOD_SIZES);
  }

  shape(maxRank = 4, badChance = 0.05): number[] {
    const rank = this.rng.int(0, maxRank);
    return Array.from({ length: rank }, () => this.size(badChance));
  }

  /** A dim of a tensor of `ndim` dims: mostly valid (negative too), sometimes out of range or fractional. */
  dim(ndim: number): number {
    if (this.rng.chance(0.08)) return this.rng.pick([ndim, ndim + 3, -ndim - 1, 1.5, NaN]);
    const n = Math.max(ndim, 1);
    return this.rng.int(-n, n - 1);
  }

  /** An integer argument such as an index, a count or a kernel size, around `typical`. */
  count(typical: number): number {
    if (this.rng.chance(0.08)) return this.rng.pick([-1, 0, 2.5, NaN, 1e12]);
    return this.rng.int(0, typical);
  }

  dtype(floatChance = 0.7): DType {
    return this.rng.chance(floatChance) ? this.rng.pick(FLOATS) : this.rng.pick(DTYPES);
  }

  /**
   * A tensor of `shape` and `dtype` in a random layout (contiguous, transposed, broadcast or a strided
   * slice), sometimes requiring grad. Factories reject bad shapes with their own errors.
   */
  tensor(shape: readonly number[] = this.shape(), dtype: DType = this.dtype(), what = 'x'): Tensor {
    const layout = this.rng.pick(LAYOUTS);
    const grad = isFloat(dtype) ? this.rng.chance(0.4) : this.rng.chance(0.02);
    this.record(`${what}=${dtype}[${shape.join(', ')}] ${layout}${grad ? ' requiresGrad' : ''}`);
    let t: Tensor;
    if (layout === 'transposed' && shape.length >= 2) {
      const swapped = [...shape];
      [swapped[swapped.length - 1], swapped[swapped.length - 2]] = [swapped[swapped.length - 2], swapped[swapped.length - 1]];
      t = this.values(swapped, dtype).transpose(-1, -2);
    } else if (layout === 'expanded' && shape.length >= 1) {
      t = this.values(shape.map((n) => (this.rng.chance(0.5) ? 1 : n)), dtype).expand(shape);
    } else if (layout === 'sliced' && shape.length >= 1) {
      const last = shape[shape.length - 1];
      t = this.values([...shape.slice(0, -1), last + 2], dtype).narrow(-1, 1, last);
    } else {
      t = this.values(shape, dtype);
    }
    return grad ? t.requiresGrad_(true) : t;
  }

  /** Integer class or index values in [lo, hi] as int64 (or another dtype, sometimes). */
  indices(shape: readonly number[], lo: number, hi: number, what = 'index'): Tensor {
    const dtype = this.rng.chance(0.9) ? 'int64' : this.dtype();
    this.record(`${what}=${dtype}[${shape.join(', ')}] in [${lo}, ${hi}]`);
    return torch.randint(lo, hi + 1, shape, { dtype: dtype === 'bool' ? 'int64' : dtype });
  }

  private values(shape: readonly number[], dtype: DType): Tensor {
    if (isFloat(dtype)) return torch.randn([...shape], { dtype });
    if (dtype === 'bool') return torch.randint(0, 2, shape, { dtype: 'int64' }).to('bool');
    return torch.randint(dtype === 'uint8' ? 0 : -4, 6, shape, { dtype });
  }
}

/** A short description of an argument for the failure report. */
export function describe(value: unknown): string {
  if (value instanceof torch.Tensor) return `${value.dtype}[${value.dims.join(', ')}]`;
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${describe(v)}`).join(', ')} }`;
  }
  return String(value);
}
