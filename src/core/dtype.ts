// src/core/dtype.ts — the dtype table: storage arrays, categories, PyTorch's type promotion.
import { AllocationError, RuntimeError } from './errors.js';

/** A tensor element type, spelled as PyTorch's `torch.<name>`. */
export type DType = 'float32' | 'float64' | 'int32' | 'int64' | 'bool' | 'uint8';

/**
 * The typed array behind each dtype.
 * Note [int64 storage]
 * int64 lives in a Float64Array: JavaScript numbers are exact integers up to 2^53, and a
 * BigInt64Array would force every kernel to handle bigint. Values past 2^53 lose precision
 * and int64 arithmetic does not wrap around as PyTorch's does.
 */
export type DataArray = Float32Array | Float64Array | Int32Array | Uint8Array;

interface DTypeInfo {
  readonly array: Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
  readonly kind: 'bool' | 'int' | 'float';
  readonly itemsize: number;
  readonly rank: number; // position in PyTorch's promotion lattice within its kind
}

const INFO: Record<DType, DTypeInfo> = {
  bool: { array: Uint8Array, kind: 'bool', itemsize: 1, rank: 0 },
  uint8: { array: Uint8Array, kind: 'int', itemsize: 1, rank: 1 },
  int32: { array: Int32Array, kind: 'int', itemsize: 4, rank: 3 },
  int64: { array: Float64Array, kind: 'int', itemsize: 8, rank: 4 },
  float32: { array: Float32Array, kind: 'float', itemsize: 4, rank: 6 },
  float64: { array: Float64Array, kind: 'float', itemsize: 8, rank: 7 },
};

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'int64', 'bool', 'uint8'];

/** PyTorch's scalar-type names used in its messages: `expected scalar type Float but found Double`. */
export const TYPE_NAMES: Readonly<Record<DType, string>> = {
  float32: 'Float', float64: 'Double', int32: 'Int', int64: 'Long', bool: 'Bool', uint8: 'Byte',
};

/** Allocates a zeroed typed array for `numel` elements of `dtype`. */
export function allocArray(dtype: DType, numel: number): DataArray {
  try {
    return new INFO[dtype].array(numel);
  } catch (e) {
    throw e instanceof RangeError ? AllocationError.outOfMemory(numel * INFO[dtype].itemsize) : e;
  }
}

/** The typed-array constructor that stores `dtype`. */
export function arrayType(dtype: DType): DTypeInfo['array'] {
  return INFO[dtype].array;
}

export function isFloating(dtype: DType): boolean {
  return INFO[dtype].kind === 'float';
}

export function isIntegral(dtype: DType, includeBool = false): boolean {
  const k = INFO[dtype].kind;
  return k === 'int' || (includeBool && k === 'bool');
}

export function itemsize(dtype: DType): number {
  return INFO[dtype].itemsize;
}

/** torch.promote_types for the dtypes kindling has. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  return INFO[a].rank >= INFO[b].rank ? a : b;
}

let defaultDtype: 'float32' | 'float64' = 'float32';

/** The dtype of floating tensors made without an explicit dtype (torch.get_default_dtype). */
export function getDefaultDtype(): 'float32' | 'float64' {
  return defaultDtype;
}

/** torch.set_default_dtype: only floating dtypes are allowed. */
export function setDefaultDtype(dtype: DType): void {
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new TypeError(`setDefaultDtype: only floating-point types are supported as the default type, got ${dtype}`);
  }
  defaultDtype = dtype;
}

/**
 * The dtype of a JS number taking part in an op with a tensor of dtype `t`, following
 * PyTorch's rule that a Python scalar only promotes across kinds (bool < int < float).
 * A JS number is an integer scalar when Number.isInteger holds, a bool when it is a boolean.
 */
export function promoteWithScalar(t: DType, s: number | boolean): DType {
  const sKind = typeof s === 'boolean' ? 'bool' : Number.isInteger(s) ? 'int' : 'float';
  const tKind = INFO[t].kind;
  const order = { bool: 0, int: 1, float: 2 } as const;
  if (order[sKind] <= order[tKind]) return t;
  return sKind === 'int' ? 'int64' : defaultDtype;
}

// The integer range a scalar must fit to become an element of each integer dtype (c10's checked_convert;
// uint8 also takes negative int8 values, which wrap).
const INT_RANGE: Partial<Record<DType, readonly [number, number, string]>> = {
  uint8: [-128, 255, 'uint8_t'], int32: [-(2 ** 31), 2 ** 31 - 1, 'int'], int64: [-(2 ** 63), 2 ** 63, 'int64_t'],
};

/** castScalar(dtype, v), or PyTorch's error when v does not fit an integer dtype (NaN, infinities, out of range). */
export function checkedScalar(op: string, dtype: DType, v: number): number {
  const range = INT_RANGE[dtype];
  if (range !== undefined && !(v >= range[0] && v <= range[1])) {
    throw new RuntimeError(`${op}: value cannot be converted to type ${range[2]} without overflow`);
  }
  return castScalar(dtype, v);
}

/** Converts a number to what a `dtype` tensor stores: truncation for integers, 0/1 for bool. */
export function castScalar(dtype: DType, v: number): number {
  switch (dtype) {
    case 'bool':
      return v !== 0 && !Number.isNaN(v) ? 1 : 0;
    case 'uint8':
      return Math.trunc(v) & 0xff;
    case 'int32':
      return Math.trunc(v) | 0;
    case 'int64':
      return Math.trunc(v);
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
  }
}
