// src/ops/reduce.ts — reductions to values (sum, mean, prod, var, std, amax, amin, logsumexp, all, any),
// each declared once with its gradient, and the dim and kernel helpers shared with argreduce.ts and
// softmax.ts.
import { type DType, getDefaultDtype, isFloating, isIntegral, TYPE_NAMES } from '../core/dtype.js';
import { ArgumentTypeError, IndexError, RuntimeError } from '../core/errors.js';
import { numelOf, wrapDim } from '../core/shape.js';
import type { Backend, ReduceOp, Storage, View } from '../backends/backend.js';
import { Tensor } from '../tensor/tensor.js';
import { defineOp, expandTo, expandView, type Saves, denseView } from './define.js';
import { div, eq, exp, isnan, logicalAnd, logicalOr, mul, sub, where } from './elementwise.js';
import { scalarView } from './operands.js';
import { reshape } from './views.js';

/** One dim or several, as PyTorch's `int[1]? dim`. */
export type Dim = number | readonly number[];
export interface DtypeOptions {
  dtype?: DType;
}
/** `x.sum()`, `x.sum({ dtype })`, `x.sum(dim, keepdim?, { dtype }?)`. */
export type ReduceArgs = [options?: DtypeOptions] | [dim: Dim | null, keepdim?: boolean, options?: DtypeOptions];
/** `x.prod()`, `x.prod({ dtype })`, `x.prod(dim, keepdim?, { dtype }?)`: one dim only. */
export type ProdArgs = [options?: DtypeOptions] | [dim: number, keepdim?: boolean, options?: DtypeOptions];
export interface VarOptions {
  correction?: number;
  unbiased?: boolean;
  keepdim?: boolean;
}
/** PyTorch 1.13's var/std overloads: `(unbiased)`, `(dim, unbiased, keepdim)`, `(dim, *, correction, keepdim)`. */
export type VarArgs =
  | [unbiased?: boolean]
  | [options: VarOptions]
  | [dim: Dim | null, unbiased?: boolean, keepdim?: boolean]
  | [dim: Dim | null, options: VarOptions];

// ---- dims and shapes

/** Sorted reduced axes; no dim, null or [] reduce every dim (PyTorch's empty dim list). */
export function reduceAxes(op: string, x: Tensor, dim: Dim | null | undefined): number[] {
  const n = x.dims.length;
  const list = dim === null || dim === undefined ? [] : typeof dim === 'number' ? [dim] : dim;
  if (list.length === 0) return x.dims.map((_, i) => i);
  const axes = list.map((d) => wrapDim(d, n, op));
  axes.forEach((a, i) => {
    if (axes.indexOf(a) !== i) throw new RuntimeError(`${op}: dim ${a} appears multiple times in the list of dims`);
  });
  return axes.filter((a) => a < n).sort((a, b) => a - b); // a 0-d tensor's dim 0 reduces nothing
}

/** The one reduced axis of max(dim) and friends; a 0-d tensor has none. */
export function oneAxis(op: string, x: Tensor, dim: number): number[] {
  const a = wrapDim(dim, x.dims.length, op);
  return a < x.dims.length ? [a] : [];
}

export const keptShape = (dims: readonly number[], axes: readonly number[]): number[] => dims.map((n, i) => (axes.includes(i) ? 1 : n));
export const outShape = (dims: readonly number[], axes: readonly number[], keepdim: boolean): number[] =>
  keepdim ? keptShape(dims, axes) : dims.filter((_, i) => !axes.includes(i));
const countOf = (dims: readonly number[], axes: readonly number[]): number => numelOf(axes.map((a) => dims[a]));

/** A reduced tensor with its reduced dims back as size 1, ready to broadcast against `x`. */
export function restore(t: Tensor, x: Tensor, axes: readonly number[], keepdim: boolean): Tensor {
  if (keepdim) return t;
  // A 0-d t (a full reduction) broadcasts to all-ones dims; views.ts's reshape rejects 0-d inputs.
  return t.dims.length === 0 ? expandTo(t, keptShape(x.dims, axes)) : reshape(t, keptShape(x.dims, axes));
}

/**
 * PyTorch's checks before max/amax/argmax-style reductions, which have no identity on empty input.
 * `axes` is null when no dim was given; argmax words (and classes) the first error differently.
 */
export function checkNonEmpty(op: string, x: Tensor, axes: readonly number[] | null, isArg = false): void {
  if (axes === null) {
    if (x.numel() > 0) return;
    const message = `${op}: Expected reduction dim to be specified for input.numel() == 0.`;
    if (isArg) throw new IndexError(message);
    throw new RuntimeError(`${message} Specify the reduction dim with the 'dim' argument.`);
  }
  for (const a of axes) {
    if (x.dims[a] === 0) throw new IndexError(`${op}: Expected reduction dim ${a} to have non-zero size.`);
  }
}

// ---- kernel helpers: forwards compose backend primitives on contiguous scratch storages

/** A reduced storage seen with its reduced dims as size 1 and broadcast over `shape`. */
export const spread = (s: Storage, shape: readonly number[], axes: readonly number[]): View => expandView(denseView(s, keptShape(shape, axes)), shape);

/** out = op(x) over `axes`, then out = out ÷ divisor (a mean or a variance's normaliser). */
function reduceDiv(be: Backend, op: ReduceOp, x: View, axes: readonly number[], out: Storage, divisor: number): void {
  be.reduce(op, x, axes, out);
  const flat = denseView(out, [out.numel]);
  be.binary('div', flat, scalarView(be, divisor, out.dtype, flat.shape), out);
}

/**
 * The max `m` of x over `axes` and `t` = x − m (broadcast), both new storages. With `finiteOnly`
 * an infinite max counts as 0, as in PyTorch's logsumexp, so that a row of −inf gives −inf, not NaN.
 */
export function shifted(be: Backend, x: View, axes: readonly number[], finiteOnly: boolean): { m: Storage; t: Storage } {
  const kept = numelOf(outShape(x.shape, axes, true));
  const m = be.alloc(x.storage.dtype, kept);
  be.reduce('amax', x, axes, m);
  if (finiteOnly) {
    const flat = denseView(m, [kept]), mag = be.alloc(m.dtype, kept), inf = be.alloc('bool', kept);
    be.unary('abs', flat, mag);
    be.binary('eq', denseView(mag, [kept]), scalarView(be, Infinity, m.dtype, [kept]), inf);
    be.where(denseView(inf, [kept]), scalarView(be, 0, m.dtype, [kept]), flat, m);
  }
  const t = be.alloc(x.storage.dtype, numelOf(x.shape));
  be.binary('sub', x, spread(m, x.shape, axes), t);
  return { m, t };
}

// ---- sum, mean, prod, all, any, amax, amin, max(), min(), var, std, logsumexp

interface Reduction {
  readonly axes: readonly number[];
  readonly keepdim: boolean;
  /** Output dtype; inputs are converted to `cast` first when given. */
  readonly dtype: DType;
  readonly cast?: DType;
  /** Bessel's correction of var and std. */
  readonly correction?: number;
}
type Backward = (g: Tensor, x: Tensor, out: Tensor, p: Reduction) => Tensor;

function reduction(name: string, gradFn: string, forward: (be: Backend, x: View, out: Storage, p: Reduction) => void, backward: Backward | null, saves: Saves = 'none') {
  return defineOp<Reduction>({
    name,
    gradFn,
    meta: ([x], p) => ({ shape: outShape(x.dims, p.axes, p.keepdim), dtype: p.dtype, cast: p.cast }),
    forward: (be, [x], out, p) => { forward(be, x, out, p); },
    backward: backward && ((g, [x], out, p) => [backward(g, x, out, p)]),
    saves,
  });
}

/** How many elements of a bool mask are true over `axes`, keeping dims (int64). */
const countTrue = (mask: Tensor, axes: readonly number[]): Tensor => sumOps[1]([mask], { axes, keepdim: true, dtype: 'int64', cast: 'int64' });

const sumBackward: Backward = (g, x, _, p) => expandTo(restore(g, x, p.axes, p.keepdim), x.dims);
const sumForward = (be: Backend, x: View, out: Storage, p: Reduction) => { be.reduce('sum', x, p.axes, out); };
export const sumOps = [reduction('sum', 'SumBackward0', sumForward, sumBackward), reduction('sum', 'SumBackward1', sumForward, sumBackward)];

const meanForward = (be: Backend, x: View, out: Storage, p: Reduction) => { reduceDiv(be, 'sum', x, p.axes, out, countOf(x.shape, p.axes)); };
const meanBackward: Backward = (g, x, out, p) => div(sumBackward(g, x, out, p), countOf(x.dims, p.axes));
const meanOps = [reduction('mean', 'MeanBackward0', meanForward, meanBackward), reduction('mean', 'MeanBackward1', meanForward, meanBackward)];

// The gradient of a product is the product of the others: out/x without zeros; with one zero
// only the zero gets one (the product of the rest); with two or more zeros every gradient is 0.
const prodBackward: Backward = (g, x, out, p) => {
  const isZero = eq(x, 0), zeros = countTrue(isZero, p.axes);
  const safe = where(isZero, 1, x);
  const others = prodOps[1]([safe], { ...p, keepdim: true });
  const local = where(isZero, where(eq(zeros, 1), others, 0), where(eq(zeros, 0), div(restore(out, x, p.axes, p.keepdim), safe), 0));
  return mul(restore(g, x, p.axes, p.keepdim), local);
};
const prodForward = (be: Backend, x: View, out: Storage, p: Reduction) => { be.reduce('prod', x, p.axes, out); };
const prodOps = [reduction('prod', 'ProdBackward0', prodForward, prodBackward, 'all'), reduction('prod', 'ProdBackward1', prodForward, prodBackward, 'all')];

const boolOps = (['all', 'any'] as const).map((op) => reduction(op, '', (be, x, out, p) => { be.reduce(op, x, p.axes, out); }, null));

// amax's gradient is shared evenly among the elements equal to the result (ties), as PyTorch's.
const amaxBackward: Backward = (g, x, out, p) => {
  const mask = eq(x, restore(out, x, p.axes, p.keepdim));
  return mul(div(restore(g, x, p.axes, p.keepdim), countTrue(mask, p.axes)), mask);
};
const amaxOps = (['amax', 'amin'] as const).map((op) =>
  reduction(op, op === 'amax' ? 'AmaxBackward0' : 'AminBackward0', (be, x, out, p) => { be.reduce(op, x, p.axes, out); }, amaxBackward, 'all'));

// max() and min() share the gradient among ties too, and among the NaNs when the result is NaN.
const extremeBackward: Backward = (g, x, out) => {
  const mask = logicalOr(eq(x, out), logicalAnd(isnan(x), isnan(out)));
  return where(mask, div(g, countTrue(mask, x.dims.map((_, i) => i))), 0);
};
export const extremeOps = (['amax', 'amin'] as const).map((op) =>
  reduction(op, op === 'amax' ? 'MaxBackward1' : 'MinBackward1', (be, x, out, p) => { be.reduce(op, x, p.axes, out); }, extremeBackward, 'all'));

/** var (or std) over `axes`: the mean, squared deviations, their sum ÷ max(0, n − correction). */
function moments(isStd: boolean) {
  return (be: Backend, x: View, out: Storage, p: Reduction): void => {
    const n = countOf(x.shape, p.axes), dtype = x.storage.dtype;
    const m = be.alloc(dtype, out.numel);
    reduceDiv(be, 'sum', x, p.axes, m, n);
    const c = be.alloc(dtype, numelOf(x.shape)), cv = denseView(c, x.shape);
    be.binary('sub', x, spread(m, x.shape, p.axes), c);
    be.binary('mul', cv, cv, c);
    reduceDiv(be, 'sum', cv, p.axes, out, Math.max(0, n - (p.correction ?? 1)));
    if (isStd) be.unary('sqrt', denseView(out, [out.numel]), out);
  };
}
const varBackward: Backward = (g, x, _, p) => {
  const mean = meanOps[1]([x], { axes: p.axes, keepdim: true, dtype: x.dtype });
  return mul(restore(g, x, p.axes, p.keepdim), mul(sub(x, mean), 2 / (countOf(x.dims, p.axes) - (p.correction ?? 1))));
};
// std = sqrt(var): the gradient is var's scaled by 1/(2·std), taken as 0 where std is 0.
const stdBackward: Backward = (g, x, out, p) => varBackward(where(eq(out, 0), 0, div(g, mul(out, 2))), x, out, p);
const varOp = reduction('var', 'VarBackward0', moments(false), varBackward);
const stdOp = reduction('std', 'StdBackward0', moments(true), stdBackward, 'output');

const logsumexpOp = reduction('logsumexp', 'LogsumexpBackward0', (be, x, out, p) => {
  const size = out.numel, flat = denseView(out, [size]);
  if (numelOf(x.shape) === 0) {
    be.fill(flat, -Infinity); // every reduced set is empty: log(0)
    return;
  }
  const { m, t } = shifted(be, x, p.axes, true), tv = denseView(t, x.shape);
  be.unary('exp', tv, t);
  be.reduce('sum', tv, p.axes, out);
  be.unary('log', flat, out);
  be.binary('add', flat, denseView(m, [size]), out);
}, (g, x, out, p) => mul(restore(g, x, p.axes, p.keepdim), exp(sub(x, restore(out, x, p.axes, p.keepdim)))), 'all');

const defaultSumDtype = (x: Tensor, options: DtypeOptions): DType => options.dtype ?? (isIntegral(x.dtype, true) ? 'int64' : x.dtype);

/** Whether a trailing argument is an options object (not a dim list, null or a flag). */
const isOptions = <T extends object>(v: T | Dim | boolean | null | undefined): v is T => v !== null && typeof v === 'object' && !Array.isArray(v);

function parseReduceArgs(args: ReduceArgs): { dim: Dim | null | undefined; keepdim: boolean; options: DtypeOptions } {
  const [first, keepdim, options] = args;
  if (isOptions<DtypeOptions>(first)) return { dim: undefined, keepdim: false, options: first };
  return { dim: first, keepdim: keepdim ?? false, options: options ?? {} };
}

/** Sum over all dims or over `dim`; integer and bool inputs sum to int64 (torch.sum). */
export function sum(x: Tensor, ...args: ReduceArgs): Tensor {
  const { dim, keepdim, options } = parseReduceArgs(args);
  const dtype = defaultSumDtype(x, options);
  return sumOps[dim === undefined ? 0 : 1]([x], { axes: reduceAxes('sum', x, dim), keepdim, dtype, cast: dtype });
}

/** Mean over all dims or over `dim`; floating inputs (or a floating `dtype`) only (torch.mean). */
export function mean(x: Tensor, ...args: ReduceArgs): Tensor {
  const { dim, keepdim, options } = parseReduceArgs(args);
  const dtype = options.dtype ?? x.dtype;
  if (!isFloating(dtype)) {
    throw new RuntimeError(`mean(): could not infer output dtype. ${options.dtype ? 'Optional' : 'Input'} dtype must be either ` +
      `a floating point or complex dtype. Got: ${TYPE_NAMES[dtype]}`);
  }
  return meanOps[dim === undefined ? 0 : 1]([x], { axes: reduceAxes('mean', x, dim), keepdim, dtype, cast: dtype });
}

/** Product over all elements or over one dim; integer and bool inputs give int64 (torch.prod). */
export function prod(x: Tensor, ...args: ProdArgs): Tensor {
  const { dim, keepdim, options } = parseReduceArgs(args);
  const dtype = defaultSumDtype(x, options);
  const axes = typeof dim === 'number' ? oneAxis('prod', x, dim) : reduceAxes('prod', x, null);
  return prodOps[dim === undefined ? 0 : 1]([x], { axes, keepdim, dtype, cast: dtype });
}

/** Whether every element is nonzero, over all dims or one (torch.all); uint8 in gives uint8 out. */
export function all(x: Tensor, dim?: number, keepdim = false): Tensor {
  return boolOps[0]([x], { axes: dim === undefined ? reduceAxes('all', x, null) : oneAxis('all', x, dim), keepdim, dtype: x.dtype === 'uint8' ? 'uint8' : 'bool' });
}

/** Whether any element is nonzero, over all dims or one (torch.any); uint8 in gives uint8 out. */
export function any(x: Tensor, dim?: number, keepdim = false): Tensor {
  return boolOps[1]([x], { axes: dim === undefined ? reduceAxes('any', x, null) : oneAxis('any', x, dim), keepdim, dtype: x.dtype === 'uint8' ? 'uint8' : 'bool' });
}

function extreme(op: 'amax' | 'amin', x: Tensor, dim: Dim, keepdim: boolean): Tensor {
  const axes = reduceAxes(op, x, dim);
  const specified = typeof dim === 'number' || dim.length > 0;
  checkNonEmpty(`${op}()`, x, specified ? axes : null);
  return amaxOps[op === 'amax' ? 0 : 1]([x], { axes, keepdim, dtype: x.dtype });
}

/** Largest values over `dim` (all dims by default); ties share the gradient (torch.amax). */
export function amax(x: Tensor, dim: Dim = [], keepdim = false): Tensor {
  return extreme('amax', x, dim, keepdim);
}

/** Smallest values over `dim` (all dims by default); ties share the gradient (torch.amin). */
export function amin(x: Tensor, dim: Dim = [], keepdim = false): Tensor {
  return extreme('amin', x, dim, keepdim);
}

function parseVarArgs(name: string, args: VarArgs): { dim: Dim | null; correction: number; keepdim: boolean } {
  const [first, second, third] = args;
  if (typeof first === 'boolean') return { dim: null, correction: first ? 1 : 0, keepdim: false };
  if (isOptions<VarOptions>(first)) return parseVarArgs(name, [null, first]);
  const options: VarOptions = isOptions<VarOptions>(second) ? second : { unbiased: second, keepdim: third };
  if (options.correction !== undefined && options.unbiased !== undefined) {
    throw new ArgumentTypeError(`${name}: received both unbiased and correction; pass one of them`);
  }
  const dim = first ?? null;
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  return { dim, correction, keepdim: options.keepdim ?? false };
}

function moment(name: 'var' | 'std', x: Tensor, args: VarArgs): Tensor {
  if (!isFloating(x.dtype)) throw new RuntimeError(`${name}: std and var only support floating point and complex dtypes`);
  const { dim, correction, keepdim } = parseVarArgs(name, args);
  return (name === 'var' ? varOp : stdOp)([x], { axes: reduceAxes(name, x, dim), keepdim, dtype: x.dtype, correction });
}

/** Variance, unbiased unless `unbiased: false` or another `correction` is given (torch.var). */
export function variance(x: Tensor, ...args: VarArgs): Tensor {
  return moment('var', x, args);
}

/** Standard deviation, unbiased unless told otherwise (torch.std). */
export function std(x: Tensor, ...args: VarArgs): Tensor {
  return moment('std', x, args);
}

/** log(sum(exp(x))) over `dim`, computed after subtracting the max so that it cannot overflow (torch.logsumexp). */
export function logsumexp(x: Tensor, dim: Dim, keepdim = false): Tensor {
  const dtype = isFloating(x.dtype) ? x.dtype : getDefaultDtype();
  return logsumexpOp([x], { axes: reduceAxes('logsumexp', x, dim), keepdim, dtype, cast: dtype });
}
