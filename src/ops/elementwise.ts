// src/ops/elementwise.ts — pointwise ops: shape rule, forward and gradient together.
import { checkedScalar, type DType, getDefaultDtype, isFloating } from '../core/dtype.js';
import { RuntimeError } from '../core/errors.js';
import { broadcastShapes, numelOf } from '../core/shape.js';
import type { Backend, BinaryOp, Storage, UnaryOp, View } from '../backends/backend.js';
import { isCpuStorage } from '../tensor/device.js';
import type { Tensor } from '../tensor/tensor.js';
import { defineOp, denseView, type Grads, type Meta, type Saves, toDtype } from './define.js';
import { asTensor, resultType, type Scalar, scalarView, type TensorOrScalar } from './operands.js';

type Result = 'same' | 'float' | 'bool';

/** Common shape and promoted dtype of two operands; the output dtype follows `result`. */
function binaryMeta(name: string, result: Result) {
  return ([a, b]: readonly Tensor[]): Meta => {
    const shape = broadcastShapes(name, a.dims, b.dims);
    let cast = resultType([a, b]);
    if (result === 'float' && !isFloating(cast)) cast = getDefaultDtype();
    return { shape, dtype: result === 'bool' ? 'bool' : cast, cast, expand: true };
  };
}

function unaryMeta(result: Result) {
  return ([x]: readonly Tensor[]): Meta => {
    let dtype: DType = x.dtype;
    if (result === 'float' && !isFloating(dtype)) dtype = getDefaultDtype();
    return { shape: x.dims, dtype: result === 'bool' ? 'bool' : dtype, cast: dtype };
  };
}

type BinaryBackward = (g: Tensor, a: Tensor, b: Tensor, out: Tensor) => Grads;
type UnaryBackward = (g: Tensor, x: Tensor, out: Tensor) => Tensor;

function binaryOp(op: BinaryOp, gradFn: string, result: Result, saves: Saves, backward: BinaryBackward | null) {
  const f = defineOp({
    name: op,
    gradFn,
    meta: binaryMeta(op, result),
    forward: (be, [a, b], out) => { be.binary(op, a, b, out); },
    backward: backward && ((g, [a, b], out) => backward(g, a, b, out)),
    saves,
    overwrites: true,
    elementwise: true,
  });
  /** `into`: an in-place op's target (Note [Direct in-place]). */
  return (a: TensorOrScalar, b: TensorOrScalar, into?: Tensor): Tensor => {
    const dtype = resultType([a, b]);
    return f([asTensor(a, dtype), asTensor(b, dtype)], undefined, into);
  };
}

function unaryOp(op: UnaryOp, gradFn: string, result: Result, saves: Saves, backward: UnaryBackward | null) {
  const f = defineOp({
    name: op,
    gradFn,
    meta: unaryMeta(result),
    forward: (be, [x], out) => { be.unary(op, x, out); },
    backward: backward && ((g, [x], out) => [backward(g, x, out)]),
    saves,
    overwrites: true,
    elementwise: true,
  });
  /** `into`: an in-place op's target (Note [Direct in-place]). */
  return (x: Tensor, into?: Tensor): Tensor => f([x], undefined, into);
}

const zeroGrad: UnaryBackward = (g) => mul(g, 0);

export const add = binaryOp('add', 'AddBackward0', 'same', 'none', (g) => [g, g]);
export const sub = binaryOp('sub', 'SubBackward0', 'same', 'none', (g) => [g, neg(g)]);
export const mul = binaryOp('mul', 'MulBackward0', 'same', 'inputs', (g, a, b) => [mul(g, b), mul(g, a)]);
export const div = binaryOp('div', 'DivBackward0', 'float', 'inputs', (g, a, b) => [
  div(g, b),
  neg(div(mul(g, a), mul(b, b))),
]);
const powOp = binaryOp('pow', 'PowBackward1', 'same', 'all', (g, a, b, out) => [
  // d/da a^b = b·a^(b−1), taken as 0 where b == 0 so that 0^0 has no NaN gradient.
  where(eq(b, 0), 0, mul(g, mul(b, pow(a, sub(b, 1))))),
  // d/db a^b = a^b·log a, taken as 0 where a == 0 and b >= 0 (PyTorch's convention).
  where(logicalAnd(eq(a, 0), ge(b, 0)), 0, mul(g, mul(out, log(a)))),
]);
/** a to the power b; integer powers stay integers (2^-1 is 0), and a negative scalar exponent of an integer raises, as in PyTorch. */
export function pow(a: TensorOrScalar, b: TensorOrScalar, into?: Tensor): Tensor {
  if (isFloating(resultType([a, b]))) return powOp(a, b, into);
  if (typeof b === 'number' && b < 0) throw new RuntimeError('pow: Integers to negative integer powers are not allowed.');
  // 0 to a negative power is 0 as an integer (PyTorch's powi), not the float's infinity.
  return where(logicalAnd(eq(a, 0), lt(b, 0)), 0, trunc(powOp(a, b)));
}
export const maximum = binaryOp('maximum', 'MaximumBackward0', 'same', 'inputs', (g, a, b) => minMaxGrad(g, a, b));
export const minimum = binaryOp('minimum', 'MinimumBackward0', 'same', 'inputs', (g, a, b) => minMaxGrad(g, b, a));
export const atan2 = binaryOp('atan2', 'Atan2Backward0', 'float', 'inputs', (g, a, b) => {
  const r = add(mul(a, a), mul(b, b));
  return [mul(g, div(b, r)), mul(g, div(neg(a), r))];
});
/**
 * Integer division by zero raises PyTorch's ZeroDivisionError, where a float one gives inf or nan. A
 * device divisor is not read (no synchronous reads there): its result is undefined, as on PyTorch's CUDA.
 */
function checkedDivision(op: string, f: (a: TensorOrScalar, b: TensorOrScalar, into?: Tensor) => Tensor) {
  const hasZero = (b: TensorOrScalar): boolean =>
    typeof b === 'object' ? isCpuStorage(b.storage) && b.toArray().includes(0) : Number(b) === 0;
  return (a: TensorOrScalar, b: TensorOrScalar, into?: Tensor): Tensor => {
    if (!isFloating(resultType([a, b])) && hasZero(b)) {
      throw new RuntimeError(`${op}: ZeroDivisionError`);
    }
    return f(a, b, into);
  };
}
export const floorDivide = checkedDivision('floor_divide', binaryOp('floorDivide', 'FloorDivideBackward0', 'same', 'none', null));
export const remainder = checkedDivision('remainder', binaryOp('remainder', 'RemainderBackward0', 'same', 'inputs', (g, a, b) => [
  g,
  neg(mul(g, floorDivide(a, b))),
]));

/** Gradient of max(a, b) (and of min with the operands swapped): ties share it equally. */
function minMaxGrad(g: Tensor, a: Tensor, b: Tensor): Grads {
  const tie = eq(a, b);
  const half = div(g, 2);
  return [where(tie, half, where(gt(a, b), g, 0)), where(tie, half, where(lt(a, b), g, 0))];
}

export const eq = binaryOp('eq', 'EqBackward0', 'bool', 'none', null);
export const ne = binaryOp('ne', 'NeBackward0', 'bool', 'none', null);
export const lt = binaryOp('lt', 'LtBackward0', 'bool', 'none', null);
export const le = binaryOp('le', 'LeBackward0', 'bool', 'none', null);
export const gt = binaryOp('gt', 'GtBackward0', 'bool', 'none', null);
export const ge = binaryOp('ge', 'GeBackward0', 'bool', 'none', null);
export const logicalAnd = binaryOp('logicalAnd', 'LogicalAndBackward0', 'bool', 'none', null);
export const logicalOr = binaryOp('logicalOr', 'LogicalOrBackward0', 'bool', 'none', null);
export const logicalXor = binaryOp('logicalXor', 'LogicalXorBackward0', 'bool', 'none', null);

export const neg = unaryOp('neg', 'NegBackward0', 'same', 'none', (g) => neg(g));
export const exp = unaryOp('exp', 'ExpBackward0', 'float', 'output', (g, _, y) => mul(g, y));
export const log = unaryOp('log', 'LogBackward0', 'float', 'inputs', (g, x) => div(g, x));
export const sqrt = unaryOp('sqrt', 'SqrtBackward0', 'float', 'output', (g, _, y) => div(g, mul(y, 2)));
export const rsqrt = unaryOp('rsqrt', 'RsqrtBackward0', 'float', 'output', (g, _, y) =>
  mul(g, mul(pow(y, 3), -0.5)),
);
export const abs = unaryOp('abs', 'AbsBackward0', 'same', 'inputs', (g, x) => mul(g, sign(x)));
export const sign = unaryOp('sign', 'SignBackward0', 'same', 'none', zeroGrad);
export const sigmoid = unaryOp('sigmoid', 'SigmoidBackward0', 'float', 'output', (g, _, y) =>
  mul(g, mul(y, sub(1, y))),
);
export const tanh = unaryOp('tanh', 'TanhBackward0', 'float', 'output', (g, _, y) => mul(g, sub(1, mul(y, y))));
// relu's gradient is 0 where the output is <= 0: PyTorch's threshold_backward, one pass. It is
// linear in g, so its own gradient in g is the same masking (and nothing flows to the output).
const thresholdBackward: (g: TensorOrScalar, y: TensorOrScalar) => Tensor = binaryOp(
  'thresholdBackward', 'ThresholdBackwardBackward0', 'same', 'inputs', (h, _, y) => [thresholdBackward(h, y), null],
);
export const relu = unaryOp('relu', 'ReluBackward0', 'same', 'output', (g, _, y) => thresholdBackward(g, y));
export const sin = unaryOp('sin', 'SinBackward0', 'float', 'inputs', (g, x) => mul(g, cos(x)));
export const cos = unaryOp('cos', 'CosBackward0', 'float', 'inputs', (g, x) => neg(mul(g, sin(x))));
export const log1p = unaryOp('log1p', 'Log1PBackward0', 'float', 'inputs', (g, x) => div(g, add(x, 1)));
export const expm1 = unaryOp('expm1', 'Expm1Backward0', 'float', 'output', (g, _, y) => mul(g, add(y, 1)));
export const floor = unaryOp('floor', 'FloorBackward0', 'same', 'none', zeroGrad);
export const ceil = unaryOp('ceil', 'CeilBackward0', 'same', 'none', zeroGrad);
export const round = unaryOp('round', 'RoundBackward0', 'same', 'none', zeroGrad);
export const trunc = unaryOp('trunc', 'TruncBackward0', 'same', 'none', zeroGrad);
export const reciprocal = unaryOp('reciprocal', 'ReciprocalBackward0', 'float', 'output', (g, _, y) =>
  neg(mul(g, mul(y, y))),
);
export const erf = unaryOp('erf', 'ErfBackward0', 'float', 'inputs', (g, x) =>
  mul(g, mul(exp(neg(mul(x, x))), 2 / Math.sqrt(Math.PI))),
);
export const logicalNot = unaryOp('logicalNot', 'LogicalNotBackward0', 'bool', 'none', null);
export const isnan = unaryOp('isnan', 'IsnanBackward0', 'bool', 'none', null);
export const erfinv = unaryOp('erfinv', 'ErfinvBackward0', 'float', 'output', (g, _, y) => mul(g, mul(exp(mul(y, y)), Math.sqrt(Math.PI) / 2)));
export const lgamma = unaryOp('lgamma', 'LgammaBackward0', 'float', 'inputs', (g, x) => mul(g, digamma(x)));
export const digamma = unaryOp('digamma', 'DigammaBackward0', 'float', 'inputs', (g, x) => mul(g, trigamma(x)));
// polygamma(1, x): digamma's derivative; its own derivative (polygamma(2, x)) is not implemented.
const trigamma = unaryOp('trigamma', 'PolygammaBackward0', 'float', 'none', null);
/** C's fmod: the remainder with the sign of the dividend (torch.fmod); integer division by zero raises. */
export const fmod = checkedDivision('fmod', binaryOp('fmod', 'FmodBackward1', 'same', 'inputs', (g, a, b) => [g, neg(mul(g, trunc(div(a, b))))]));

/** x·x, PyTorch's torch.square (a pow with exponent 2 in its graph). */
export function square(x: Tensor): Tensor {
  return pow(x, 2);
}

const whereOp = defineOp({
  name: 'where',
  gradFn: 'WhereBackward0',
  meta: ([c, a, b]: readonly Tensor[]): Meta => {
    const shape = broadcastShapes('where', c.dims, a.dims, b.dims);
    return { shape, dtype: resultType([a, b]), expand: true };
  },
  forward: (be, [c, a, b], out) => { be.where(c, a, b, out); },
  backward: (g, [c]) => [null, where(c, g, 0), where(c, 0, g)],
  saves: 'none',
  overwrites: true,
  elementwise: true,
});

/** Elements of `a` where `cond` holds, else of `b` (torch.where); `into` as for add. */
export function where(cond: Tensor, a: TensorOrScalar, b: TensorOrScalar, into?: Tensor): Tensor {
  const dtype = resultType([a, b]);
  return whereOp([cond, toDtype(asTensor(a, dtype), dtype), toDtype(asTensor(b, dtype), dtype)], undefined, into);
}

/** `x` with `value` where `mask` is true (Tensor.masked_fill); `into` as for add. */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorOrScalar, into?: Tensor): Tensor {
  return where(mask, typeof value === 'object' ? value : asTensor(checkedScalar('masked_fill', x.dtype, Number(value)), x.dtype), x, into);
}

const clampOp = defineOp<{ min: number | null; max: number | null }>({
  name: 'clamp',
  gradFn: 'ClampBackward1',
  meta: ([x], { min, max }) => {
    const dtype = resultType([x, ...[min, max].filter((v): v is number => v !== null)]);
    return { shape: x.dims, dtype, cast: dtype };
  },
  forward: (be, [x], out, { min, max }) => {
    if (!Number.isNaN(min) && !Number.isNaN(max) && be.clamp?.(x, min ?? -Infinity, max ?? Infinity, out) === true) return;
    const dense = denseView(out, x.shape);
    be.copy(x, dense);
    if (min !== null) be.binary('maximum', dense, scalarView(be, min, out.dtype, x.shape), out);
    if (max !== null) be.binary('minimum', dense, scalarView(be, max, out.dtype, x.shape), out);
  },
  backward: (g, [x], _, { min, max }) => {
    let keep: Tensor | null = null;
    if (min !== null) keep = ge(x, min);
    if (max !== null) keep = keep ? logicalAnd(keep, le(x, max)) : le(x, max);
    return [keep ? where(keep, g, 0) : g];
  },
  saves: 'inputs',
  elementwise: true,
});

/** Limits values to [min, max] (either bound may be null); the gradient passes inside the bounds. `into` as for add. */
export function clamp(x: Tensor, min: Scalar | null = null, max: Scalar | null = null, into?: Tensor): Tensor {
  return clampOp([x], { min: min === null ? null : Number(min), max: max === null ? null : Number(max) }, into);
}

const ADDCDIV_INTEGER =
  'Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of ' +
  'tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2))' +
  '.to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv ' +
  'behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.';

/** x + value·a·b (or value·a/b) as PyTorch rounds it: (value·a) first, then · or / b, then + x. */
function addcForward(be: Backend, [x, a, b]: readonly View[], out: Storage, value: number, divide: boolean): void {
  // The value is converted to the computation's dtype, as PyTorch's Scalar.to<scalar_t>() does.
  const v = isFloating(out.dtype) ? value : Math.trunc(value);
  if (be.addcmul?.(x, a, b, v, divide, out) === true) return;
  const shape = x.shape, scaled = denseView(be.alloc(out.dtype, numelOf(shape)), shape);
  be.binary('mul', a, scalarView(be, v, out.dtype, shape), scaled.storage);
  be.binary(divide ? 'div' : 'mul', scaled, b, scaled.storage);
  be.binary('add', x, scaled, out);
}

function addcOp(name: 'addcmul' | 'addcdiv', gradFn: string, backward: (g: Tensor, a: Tensor, b: Tensor, value: number) => Grads) {
  return defineOp<number>({
    name,
    gradFn,
    meta: ([x, a, b]) => {
      if (name === 'addcdiv' && !isFloating(a.dtype) && !isFloating(b.dtype)) throw new RuntimeError(`addcdiv: ${ADDCDIV_INTEGER}`);
      const dtype = resultType([x, a, b]);
      return { shape: broadcastShapes(name, x.dims, a.dims, b.dims), dtype, cast: dtype, expand: true };
    },
    forward: (be, views, out, value) => { addcForward(be, views, out, value, name === 'addcdiv'); },
    backward: (g, [, a, b], _, value) => backward(g, a, b, value),
    saves: 'inputs',
    overwrites: true,
    elementwise: true,
  });
}

const addcmulOp = addcOp('addcmul', 'AddcmulBackward0', (g, a, b, value) => [g, mul(g, mul(b, value)), mul(g, mul(a, value))]);
const addcdivOp = addcOp('addcdiv', 'AddcdivBackward0', (g, a, b, value) => [
  g,
  mul(g, div(value, b)),
  neg(mul(g, div(mul(a, value), mul(b, b)))),
]);

/**
 * input + value·tensor1·tensor2, broadcast (torch.addcmul); `into` as for add.
 * @example
 * torch.addcmul(torch.ones(2), torch.tensor([1, 2]), torch.tensor([3, 4]), { value: 0.5 }); // tensor([2.5000, 5.0000])
 */
export function addcmul(input: Tensor, tensor1: Tensor, tensor2: Tensor, { value = 1 }: { value?: number } = {}, into?: Tensor): Tensor {
  return addcmulOp([input, tensor1, tensor2], value, into);
}

/**
 * input + value·tensor1/tensor2, broadcast (torch.addcdiv); `into` as for add.
 * @example
 * torch.addcdiv(torch.ones(2), torch.tensor([1, 2]), torch.tensor([4, 4]), { value: 2 }); // tensor([1.5000, 2.0000])
 */
export function addcdiv(input: Tensor, tensor1: Tensor, tensor2: Tensor, { value = 1 }: { value?: number } = {}, into?: Tensor): Tensor {
  return addcdivOp([input, tensor1, tensor2], value, into);
}
