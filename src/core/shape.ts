// src/core/shape.ts — shape and stride arithmetic: numel, contiguity, broadcasting, dim wrapping.
import { AllocationError, ArgumentTypeError, IndexError, RuntimeError } from './errors.js';

export type Shape = readonly number[];

/** Product of the sizes; 1 for a scalar shape. */
export function numelOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major strides of a contiguous tensor of this shape. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i], 1);
  }
  return strides;
}

/** Whether (shape, strides) is row-major with no gaps; size-1 dims may have any stride. */
export function isContiguousLayout(shape: Shape, strides: Shape): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const n = shape[i];
    if (n === 0) return true;
    if (n !== 1) {
      if (strides[i] !== expected) return false;
      expected *= n;
    }
  }
  return true;
}

/** Formats a shape as PyTorch does inside messages: `[2, 3]`. */
export function fmtShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Wraps a possibly negative dim into [0, ndim), or throws PyTorch's IndexError. */
export function wrapDim(dim: number, ndim: number, op?: string): number {
  const n = Math.max(ndim, 1); // a 0-d tensor accepts dim 0 and -1, as in PyTorch
  if (!Number.isInteger(dim) || dim < -n || dim >= n) {
    const prefix = op ? `${op}: ` : '';
    throw new IndexError(
      `${prefix}Dimension out of range (expected to be in range of [${-n}, ${n - 1}], but got ${dim})`,
    );
  }
  return dim < 0 ? dim + n : dim;
}

/** The broadcast shape of several shapes, or PyTorch's error naming the mismatching sizes. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  // Equal shapes (most elementwise calls) need no work.
  if (shapes.length === 2 && sameShape(shapes[0], shapes[1])) return [...shapes[0]];
  let ndim = 0;
  for (const s of shapes) ndim = Math.max(ndim, s.length);
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const off = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const a = out[off + i], b = s[i];
      if (a === b || b === 1) continue;
      if (a === 1) {
        out[off + i] = b;
        continue;
      }
      throw new RuntimeError(
        `${op}: The size of tensor a (${a}) must match the size of tensor b (${b}) at non-singleton dimension ` +
          `${off + i} (shapes ${shapes.map(fmtShape).join(', ')})`,
      );
    }
  }
  return out;
}

/** Whether two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws PyTorch's TypeError unless the argument `name` of `op` is an integer. */
export function checkInt(op: string, name: string, value: number): void {
  if (!Number.isInteger(value)) throw new ArgumentTypeError(`${op}(): argument '${name}' must be int, not ${typeof value === 'number' ? 'float' : typeof value}`);
}

/** Checks that every size is a non-negative integer and that their product can be counted, naming the op otherwise. */
export function checkShape(op: string, shape: Shape): void {
  for (let i = 0; i < shape.length; i++) {
    const n = shape[i];
    if (!Number.isInteger(n)) {
      const type = typeof n === 'number' ? 'float' : PYTHON_TYPES[typeof n] ?? typeof n;
      throw new ArgumentTypeError(`${op}(): argument 'size' must be tuple of ints, but found element of type ${type} at pos ${i}`);
    }
    if (n < 0) throw new RuntimeError(`${op}: Trying to create tensor with negative dimension ${n}: ${fmtShape(shape)}`);
  }
  storageNumel(shape, op);
}

// What Python would call an untyped caller's size that is not a number.
const PYTHON_TYPES: Partial<Record<string, string>> = { string: 'str', boolean: 'bool', undefined: 'NoneType', bigint: 'int', object: 'object' };

// Element counts are JS numbers, exact up to 2^53; PyTorch's int64 byte count overflows near 2^63.
const MAX_NUMEL = Number.MAX_SAFE_INTEGER;

/** The element count of a storage for `shape`, or PyTorch's error when it overflows (named by `op` when given). */
export function storageNumel(shape: Shape, op: string | null = null): number {
  const n = numelOf(shape);
  if (n > MAX_NUMEL) throw new AllocationError(`Storage size calculation overflowed with sizes=${fmtShape(shape)}`, op);
  return n;
}
