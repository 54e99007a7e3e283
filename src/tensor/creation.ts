// src/tensor/creation.ts — factories: tensor, zeros, ones, full, arange, linspace, eye, random draws.
import { castScalar, checkedScalar, type DataArray, type DType, getDefaultDtype, isFloating } from '../core/dtype.js';
import { AllocationError, ArgumentTypeError, RuntimeError, ValueError } from '../core/errors.js';
import { checkInt, checkShape, numelOf } from '../core/shape.js';
import { defaultGenerator, type Generator, randperm as drawPerm } from '../core/random.js';
import type { Backend } from '../backends/backend.js';
import { backend } from '../backends/select.js';
import { type DeviceLike, placement } from './device.js';
import { normalInto, randintInto, uniformInto } from './draw.js';
import { Tensor } from './tensor.js';

/** A zero-filled array from the current backend's allocator (which may place large ones on huge pages). */
function freshArray(op: string, dtype: DType, numel: number): DataArray {
  return named(op, () => backend().alloc(dtype, numel).data);
}

/** fn's result; an allocation it could not make is reported as `op`'s. */
function named<T>(op: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof AllocationError ? e.forOp(op) : e;
  }
}

/** An array a draw overwrites entirely, so large ones skip the zero-filling. */
function drawnArray(op: string, dtype: DType, numel: number): DataArray {
  const be = backend();
  return named(op, () => (be.allocUninit ? be.allocUninit(dtype, numel) : be.alloc(dtype, numel)).data);
}

/** Keyword options of the factories (PyTorch's dtype=, requires_grad=, device=, generator=). */
export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  /** 'cpu' (the default) or 'webgpu' ('webgpu:0', or a tensor's `device`): values are made on the host, then uploaded. */
  device?: DeviceLike;
  generator?: Generator;
}

/** Dims given as varargs or one array, optionally followed by options: `zeros(2, 3)`, `zeros([2, 3], {...})`. */
export type ShapeArgs = [...number[]] | [...number[], TensorOptions] | [readonly number[]] | [readonly number[], TensorOptions];

/** Nested arrays of numbers or booleans, as accepted by torch.tensor. */
export type NestedData = number | boolean | readonly NestedData[];

/** Splits factory arguments into dims and options. */
export function parseShapeArgs(op: string, args: readonly unknown[]): { dims: number[]; options: TensorOptions } {
  let options: TensorOptions = {};
  let rest = args;
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last)) {
    options = last as TensorOptions;
    rest = args.slice(0, -1);
  }
  const dims = (rest.length === 1 && Array.isArray(rest[0]) ? rest[0] : rest) as number[];
  checkShape(op, dims);
  return { dims: [...dims], options };
}

/**
 * The backend a factory's tensor goes to, checked before anything is allocated or drawn (so a bad
 * device leaves the generator untouched): the CPU's, or a registered device's that supports `dtype`.
 */
function target(op: string, options: TensorOptions, dtype: DType): Backend {
  const device = options.device;
  return device === undefined || device === 'cpu' ? backend() : placement(op, device, dtype);
}

/**
 * Wraps an array filled on the host as a tensor on `be` (the CPU wraps it, a device uploads it) and
 * applies requiresGrad.
 */
function finish(be: Backend, data: DataArray, dims: readonly number[], dtype: DType, options: TensorOptions): Tensor {
  const t = new Tensor(be.fromArray(dtype, data), dims);
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

function filled(op: string, args: readonly unknown[], value: number): Tensor {
  const { dims, options } = parseShapeArgs(op, args);
  const dtype = options.dtype ?? getDefaultDtype();
  const be = target(op, options, dtype);
  const data = freshArray(op, dtype, numelOf(dims));
  if (value !== 0) data.fill(checkedScalar(op, dtype, value));
  return finish(be, data, dims, dtype, options);
}

/** Zeros of the given shape. */
export const zeros = (...args: ShapeArgs): Tensor => filled('zeros', args, 0);
/** Ones of the given shape. */
export const ones = (...args: ShapeArgs): Tensor => filled('ones', args, 1);
/** An uninitialised tensor (kindling zero-fills it: ArrayBuffers always start zeroed). */
export const empty = (...args: ShapeArgs): Tensor => filled('empty', args, 0);

/** A tensor of `shape` filled with `value`; the dtype follows the value as in PyTorch. */
export function full(shape: readonly number[], value: number | boolean, options: TensorOptions = {}): Tensor {
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : Number.isInteger(value) ? 'int64' : getDefaultDtype());
  return filled('full', [shape, { ...options, dtype }], Number(value));
}

/** Shape and leaf values of nested data, checking that it is rectangular. */
function flattenNested(data: NestedData): { dims: number[]; values: (number | boolean)[] } {
  const dims: number[] = [];
  for (let d: NestedData = data; Array.isArray(d); d = (d as readonly NestedData[])[0]) {
    dims.push((d as readonly NestedData[]).length);
    if ((d as readonly NestedData[]).length === 0) break;
  }
  const values: (number | boolean)[] = [];
  const walk = (d: NestedData, depth: number): void => {
    if (depth === dims.length) {
      if (Array.isArray(d)) throw new ValueError(`tensor: expected a number at dim ${depth}, got a sequence`);
      if (typeof d !== 'number' && typeof d !== 'boolean') {
        throw new ArgumentTypeError(`tensor: could not convert ${typeof d} to a tensor element`);
      }
      values.push(d);
      return;
    }
    if (!Array.isArray(d)) throw new ValueError(`tensor: expected sequence of length ${dims[depth]} at dim ${depth} (got a number)`);
    const arr = d as readonly NestedData[];
    if (arr.length !== dims[depth]) {
      throw new ValueError(`tensor: expected sequence of length ${dims[depth]} at dim ${depth} (got ${arr.length})`);
    }
    for (const x of arr) walk(x, depth + 1);
  };
  walk(data, 0);
  return { dims, values };
}

const TYPED: ReadonlyArray<[new (...a: never[]) => DataArray, DType]> = [
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
  [Int32Array, 'int32'],
  [Uint8Array, 'uint8'],
];

/**
 * Builds a tensor from nested arrays, a typed array or a scalar (copying the data).
 * JS numbers give float32 (they carry no int/float distinction); booleans give bool.
 * @example torch.tensor([[3, 0]]) // tensor([[3., 0.]])
 */
export function tensor(data: NestedData | DataArray, options: TensorOptions = {}): Tensor {
  if (ArrayBuffer.isView(data)) {
    const own = TYPED.find(([ctor]) => data instanceof ctor)?.[1] ?? 'float32';
    const dtype = options.dtype ?? own;
    const be = target('tensor', options, dtype);
    const out = freshArray('tensor', dtype, data.length);
    for (let i = 0; i < data.length; i++) out[i] = checkedScalar('tensor', dtype, data[i]);
    return finish(be, out, [data.length], dtype, options);
  }
  const { dims, values } = flattenNested(data);
  const allBool = values.length > 0 && values.every((v) => typeof v === 'boolean');
  const dtype = options.dtype ?? (allBool ? 'bool' : getDefaultDtype());
  const be = target('tensor', options, dtype);
  const out = freshArray('tensor', dtype, values.length);
  for (let i = 0; i < values.length; i++) out[i] = checkedScalar('tensor', dtype, Number(values[i]));
  return finish(be, out, dims, dtype, options);
}

/** Values from start to end (exclusive) by step; int64 when all arguments are integers. */
export function arange(end: number, options?: TensorOptions): Tensor;
export function arange(start: number, end: number, step?: number, options?: TensorOptions): Tensor;
export function arange(a: number, b?: number | TensorOptions, c?: number, d?: TensorOptions): Tensor {
  const [start, end, step, options] = typeof b === 'number' ? [a, b, c ?? 1, d ?? {}] : [0, a, 1, b ?? {}];
  if (![start, end, step].every(Number.isFinite)) throw new RuntimeError(`arange: unsupported range: ${start} -> ${end}`);
  if (step === 0) throw new RuntimeError('arange: step must be nonzero');
  if ((end - start) / step < 0) {
    throw new RuntimeError('arange: upper bound and larger bound inconsistent with step sign');
  }
  const ints = [start, end, step].every(Number.isInteger);
  const dtype = options.dtype ?? (ints ? 'int64' : getDefaultDtype());
  const n = Math.ceil((end - start) / step);
  const be = target('arange', options, dtype);
  const out = freshArray('arange', dtype, n);
  for (let i = 0; i < n; i++) out[i] = castScalar(dtype, start + i * step);
  return finish(be, out, [n], dtype, options);
}

/** `steps` evenly spaced values from start to end inclusive, computed as PyTorch does. */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RuntimeError('linspace: number of steps must be non-negative');
  const dtype = options.dtype ?? getDefaultDtype();
  const be = target('linspace', options, dtype);
  const out = freshArray('linspace', dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // PyTorch fills the first half from start and the second half from end, so both ends are exact.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out[i] = castScalar(dtype, i < half ? start + step * i : end - step * (steps - i - 1));
  return finish(be, out, [steps], dtype, options);
}

/** The n×m identity matrix. */
export function eye(n: number, m: number | TensorOptions = n, options: TensorOptions = {}): Tensor {
  const cols = typeof m === 'number' ? m : n;
  const opts = typeof m === 'number' ? options : m;
  checkShape('eye', [n, cols]);
  const dtype = opts.dtype ?? getDefaultDtype();
  const be = target('eye', opts, dtype);
  const out = freshArray('eye', dtype, n * cols);
  for (let i = 0; i < Math.min(n, cols); i++) out[i * cols + i] = 1;
  return finish(be, out, [n, cols], dtype, opts);
}

function floatDtype(op: string, options: TensorOptions): 'float32' | 'float64' {
  const dtype = options.dtype ?? getDefaultDtype();
  if (!isFloating(dtype)) throw new RuntimeError(`${op}: "${op}" not implemented for '${dtype}'`);
  return dtype as 'float32' | 'float64';
}

/** Uniform samples in [0, 1), drawn as PyTorch's CPU generator draws them. */
export function rand(...args: ShapeArgs): Tensor {
  const { dims, options } = parseShapeArgs('rand', args);
  const dtype = floatDtype('rand', options);
  const be = target('rand', options, dtype);
  const out = drawnArray('rand', dtype, numelOf(dims)) as Float32Array | Float64Array;
  uniformInto(options.generator ?? defaultGenerator, out, 0, 1);
  return finish(be, out, dims, dtype, options);
}

/** Standard normal samples, drawn as PyTorch's CPU generator draws them. */
export function randn(...args: ShapeArgs): Tensor {
  const { dims, options } = parseShapeArgs('randn', args);
  const dtype = floatDtype('randn', options);
  const be = target('randn', options, dtype);
  const out = drawnArray('randn', dtype, numelOf(dims)) as Float32Array | Float64Array;
  normalInto(options.generator ?? defaultGenerator, out, 0, 1);
  return finish(be, out, dims, dtype, options);
}

/** Integers uniform in [low, high); `randint(high, shape)` or `randint(low, high, shape)`. */
export function randint(high: number, shape: readonly number[], options?: TensorOptions): Tensor;
export function randint(low: number, high: number, shape: readonly number[], options?: TensorOptions): Tensor;
export function randint(
  a: number, b: number | readonly number[], c?: readonly number[] | TensorOptions, d?: TensorOptions,
): Tensor {
  const [low, high, shape, options] =
    typeof b === 'number' ? [a, b, c as readonly number[], d ?? {}] : [0, a, b, (c as TensorOptions | undefined) ?? {}];
  checkInt('randint', 'low', low);
  checkInt('randint', 'high', high);
  if (low >= high) throw new RuntimeError(`randint: random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  checkShape('randint', shape);
  const dtype = options.dtype ?? 'int64';
  if (dtype === 'bool') throw new RuntimeError('randint: "random_from_to" not implemented for \'Bool\'');
  const be = target('randint', options, dtype);
  const out = drawnArray('randint', dtype, numelOf(shape));
  randintInto(options.generator ?? defaultGenerator, out, low, high);
  return finish(be, out, [...shape], dtype, options);
}

/** A random permutation of 0..n-1 (int64), as PyTorch's CPU randperm draws it. */
export function randperm(n: number, options: TensorOptions = {}): Tensor {
  checkShape('randperm', [n]);
  const dtype = options.dtype ?? 'int64';
  const be = target('randperm', options, dtype);
  const perm = named('randperm', () => drawPerm(options.generator ?? defaultGenerator, n));
  const out = dtype === 'int64' || dtype === 'float64' ? perm : freshArray('randperm', dtype, n);
  if (out !== perm) for (let i = 0; i < n; i++) out[i] = perm[i];
  return finish(be, out, [n], dtype, options);
}

// *Like factories keep x's dtype and device unless the options say otherwise, as in PyTorch.
const like = (x: Tensor, options: TensorOptions): [readonly number[], TensorOptions] =>
  [x.dims, { dtype: x.dtype, device: x.storage.device, ...options }];

/** Zeros shaped like x. */
export const zerosLike = (x: Tensor, options: TensorOptions = {}): Tensor => zeros(...like(x, options));
/** Ones shaped like x. */
export const onesLike = (x: Tensor, options: TensorOptions = {}): Tensor => ones(...like(x, options));
/** An uninitialised tensor shaped like x. */
export const emptyLike = (x: Tensor, options: TensorOptions = {}): Tensor => empty(...like(x, options));
/** `value` shaped like x. */
export const fullLike = (x: Tensor, value: number | boolean, options: TensorOptions = {}): Tensor =>
  full(x.dims, value, { dtype: x.dtype, device: x.storage.device, ...options });
/** Uniform samples shaped like x. */
export const randLike = (x: Tensor, options: TensorOptions = {}): Tensor => rand(...like(x, options));
/** Normal samples shaped like x. */
export const randnLike = (x: Tensor, options: TensorOptions = {}): Tensor => randn(...like(x, options));
/** Random integers shaped like x. */
export function randintLike(x: Tensor, low: number, high?: number, options: TensorOptions = {}): Tensor {
  const opts = { dtype: x.dtype, device: x.storage.device, ...options };
  return high === undefined ? randint(low, x.dims, opts) : randint(low, high, x.dims, opts);
}
