// src/nn/functional/activation.ts — activation functions (F.relu, F.gelu …) with PyTorch's options.
// Those with a dedicated backward in PyTorch are ops here, so that grad_fn names match; their
// kernels compose backend primitives through Pointwise.
import { type DType, isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { isOneOf, RuntimeError } from '../../core/errors.js';
import { contiguousStrides, numelOf, wrapDim } from '../../core/shape.js';
import type { Backend, BinaryOp, GeluOp, Storage, UnaryOp, View } from '../../backends/backend.js';
import { isGradEnabled } from '../../autograd/grad-mode.js';
import { backendOf } from '../../tensor/device.js';
import { defineOp, type Op } from '../../ops/define.js';
import { inPlace } from '../../ops/in-place.js';
import {
  add, erf, exp, ge, gt, le, logicalAnd, logicalOr, lt, mul, relu as reluOp, sigmoid as sigmoidOp, sub, tanh as tanhOp, where,
} from '../../ops/elementwise.js';
import { chunk } from '../../ops/indexing.js';
import { scalarView } from '../../ops/operands.js';
import type { DtypeOptions } from '../../ops/reduce.js';
import { logSoftmax as logSoftmaxOp, softmax as softmaxOp } from '../../ops/softmax.js';
import { type Tensor, uninitTensor } from '../../tensor/tensor.js';

export interface Inplace {
  inplace?: boolean;
}

const COMPARISONS: ReadonlySet<BinaryOp> = new Set<BinaryOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

/**
 * Pointwise arithmetic on kernel views of one shape, for op forwards that compose primitives:
 * each step writes a new dense temporary, and numbers become stride-0 scalar views.
 */
export class Pointwise {
  constructor(private readonly be: Backend, readonly shape: readonly number[], readonly dtype: DType) {}

  private alloc(dtype: DType): View {
    const storage = this.be.alloc(dtype, numelOf(this.shape));
    return { storage, shape: this.shape, strides: contiguousStrides(this.shape), offset: 0 };
  }

  private view(x: View | number): View {
    return typeof x === 'number' ? scalarView(this.be, x, this.dtype, this.shape) : x;
  }

  unary(op: UnaryOp, x: View): View {
    const out = this.alloc(this.dtype);
    this.be.unary(op, x, out.storage);
    return out;
  }

  binary(op: BinaryOp, a: View | number, b: View | number): View {
    const out = this.alloc(COMPARISONS.has(op) ? 'bool' : this.dtype);
    this.be.binary(op, this.view(a), this.view(b), out.storage);
    return out;
  }

  where(cond: View, a: View | number, b: View | number): View {
    const out = this.alloc(this.dtype);
    this.be.where(cond, this.view(a), this.view(b), out.storage);
    return out;
  }

  /** Copies `x` into an op's (contiguous) output storage. */
  write(x: View, out: Storage): void {
    this.be.copy(x, { storage: out, shape: this.shape, strides: contiguousStrides(this.shape), offset: 0 });
  }
}

interface ActivationSpec<P> {
  readonly name: string;
  readonly gradFn: string;
  /** PyTorch's kernel name in its dtype error; null where integer inputs are accepted. */
  readonly kernel: string | null;
  forward(k: Pointwise, x: View, p: P): View;
  /** A one-pass backend kernel for the forward, where the backend has one; false to compose `forward`. */
  fast?(be: Backend, x: View, p: P, out: Storage): boolean;
  /** The input's gradient, written with ops. */
  backward(g: Tensor, x: Tensor, p: P): Tensor;
  /** A one-pass backend kernel for the gradient where the backend has one (unless the backward is recorded); false to run `backward`. */
  fastBackward?(be: Backend, g: View, x: View, p: P, out: Storage): boolean;
}

/** A one-input pointwise op whose output keeps the input's shape and dtype. */
function activation<P>(spec: ActivationSpec<P>): Op<P> {
  return defineOp<P>({
    name: spec.name,
    gradFn: spec.gradFn,
    meta: ([x]) => {
      if (spec.kernel !== null && !isFloating(x.dtype)) {
        throw new RuntimeError(`${spec.name}: "${spec.kernel}" not implemented for '${TYPE_NAMES[x.dtype]}'`);
      }
      return { shape: x.dims, dtype: x.dtype };
    },
    forward: (be, [x], out, p) => {
      if (spec.fast?.(be, x, p, out) === true) return;
      const k = new Pointwise(be, x.shape, out.dtype);
      k.write(spec.forward(k, x, p), out);
    },
    backward: (g, [x], _, p) => {
      if (spec.fastBackward !== undefined && !isGradEnabled()) {
        const be = backendOf(spec.name, [g, x]), dx = uninitTensor(be, x.dims, x.dtype);
        if (spec.fastBackward(be, g.kernelView(), x.kernelView(), p, dx.storage)) return [dx];
      }
      return [spec.backward(g, x, p)];
    },
    saves: 'inputs',
    // The fast kernel and the final copy each write every element.
    overwrites: true,
    // The forward's temporaries are all read before its final write into out.
    elementwise: true,
  });
}

/** Runs `op` out of place, or in place on `x` (through the engine's in-place rules). */
function apply<P>(name: string, op: Op<P>, inplaceOp: Op<P>, x: Tensor, p: P, inplace: boolean): Tensor {
  return inplace ? inPlace(`${name}_`, x, [], (self, into) => inplaceOp([self], p, into)) : op([x], p);
}

/** max(x, 0) elementwise; `{ inplace: true }` overwrites x. */
export function relu(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return inplace ? input.relu_() : reluOp(input);
}

// PyTorch's in-place leaky_relu_ and elu_ differentiate through their result (…Backward1), which
// is only invertible for a non-negative slope; they refuse a negative one when backward runs.
const LEAKY_INPLACE_ERROR =
  'In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. ' +
  'This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead. ' +
  'File an issue at https://github.com/pytorch/pytorch if you do require supporting in-place leakRelu backward calculation with negative slope';
const ELU_INPLACE_ERROR =
  'In-place elu backward calculation is triggered with a negative slope which is not supported. ' +
  'This is caused by calling in-place forward function with a negative slope, please call out-of-place version instead.';

function leakyReluSpec(gradFn: string, inplace: boolean): ActivationSpec<number> {
  return {
    name: 'leaky_relu', gradFn, kernel: 'leaky_relu_cpu',
    forward: (k, x, slope) => k.where(k.binary('gt', x, 0), x, k.binary('mul', x, slope)),
    fast: (be, x, slope, out) => be.activation?.('leakyRelu', x, slope, out) === true,
    backward: (g, x, slope) => {
      if (inplace && slope < 0) throw new RuntimeError(`leaky_relu_: ${LEAKY_INPLACE_ERROR}`);
      return where(gt(x, 0), g, mul(g, slope));
    },
  };
}
const leakyReluOps = [activation(leakyReluSpec('LeakyReluBackward0', false)), activation(leakyReluSpec('LeakyReluBackward1', true))] as const;

/** x for x > 0, negativeSlope·x otherwise (F.leaky_relu). */
export function leakyRelu(input: Tensor, { negativeSlope = 0.01, inplace = false }: { negativeSlope?: number } & Inplace = {}): Tensor {
  return apply('leaky_relu', leakyReluOps[0], leakyReluOps[1], input, negativeSlope, inplace);
}

function eluSpec(gradFn: string, inplace: boolean): ActivationSpec<number> {
  return {
    name: 'elu', gradFn, kernel: 'elu_cpu',
    forward: (k, x, alpha) => k.where(k.binary('gt', x, 0), x, k.binary('mul', k.unary('expm1', x), alpha)),
    fast: (be, x, alpha, out) => be.activation?.('elu', x, alpha, out) === true,
    backward: (g, x, alpha) => {
      if (inplace && alpha < 0) throw new RuntimeError(`elu_: ${ELU_INPLACE_ERROR}`);
      return where(le(x, 0), mul(g, mul(exp(x), alpha)), g);
    },
  };
}
const eluOps = [activation(eluSpec('EluBackward0', false)), activation(eluSpec('EluBackward1', true))] as const;

/** x for x > 0, alpha·(exp(x) − 1) otherwise (F.elu). */
export function elu(input: Tensor, { alpha = 1, inplace = false }: { alpha?: number } & Inplace = {}): Tensor {
  return apply('elu', eluOps[0], eluOps[1], input, alpha, inplace);
}

export type GeluApproximate = 'none' | 'tanh';
const SQRT1_2 = Math.SQRT1_2;
const GELU_BETA = Math.SQRT2 * (2 / Math.sqrt(Math.PI)) * 0.5; // sqrt(2/π)
const GELU_KAPPA = 0.044715;
const GELU_OPS: Record<GeluApproximate, GeluOp> = { none: 'gelu', tanh: 'geluTanh' };

const geluOp = activation<GeluApproximate>({
  name: 'gelu', gradFn: 'GeluBackward0', kernel: 'GeluKernelImpl',
  forward: (k, x, approximate) => {
    if (approximate === 'tanh') {
      // 0.5·x·(1 + tanh(√(2/π)·(x + κ·x³)))
      const inner = k.binary('mul', k.binary('add', x, k.binary('mul', k.binary('mul', k.binary('mul', x, x), x), GELU_KAPPA)), GELU_BETA);
      return k.binary('mul', k.binary('mul', x, 0.5), k.binary('add', k.unary('tanh', inner), 1));
    }
    // x·Φ(x) with Φ(x) = 0.5·(1 + erf(x/√2))
    return k.binary('mul', x, k.binary('mul', k.binary('add', k.unary('erf', k.binary('mul', x, SQRT1_2)), 1), 0.5));
  },
  fast: (be, x, approximate, out) => be.activation?.(GELU_OPS[approximate], x, 0, out) === true,
  fastBackward: (be, g, x, approximate, out) => be.activationBackward?.(GELU_OPS[approximate], g, x, out) === true,
  backward: (g, x, approximate) => {
    if (approximate === 'tanh') {
      const x2 = mul(x, x);
      const t = tanhOp(mul(add(x, mul(mul(x2, x), GELU_KAPPA)), GELU_BETA));
      const left = mul(add(t, 1), 0.5);
      const right = mul(mul(mul(x, 0.5), sub(1, mul(t, t))), mul(add(mul(x2, 3 * GELU_KAPPA), 1), GELU_BETA));
      return mul(g, add(left, right));
    }
    const cdf = mul(add(erf(mul(x, SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(x, x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return mul(g, add(cdf, mul(x, pdf)));
  },
});

/** x·Φ(x) with the exact normal CDF (erf), or its tanh approximation (F.gelu). */
export function gelu(input: Tensor, { approximate = 'none' }: { approximate?: GeluApproximate } = {}): Tensor {
  if (!isOneOf(approximate, ['none', 'tanh'])) {
    throw new RuntimeError('gelu: approximate argument must be either none or tanh.');
  }
  return geluOp([input], approximate);
}

const siluOp = activation<undefined>({
  name: 'silu', gradFn: 'SiluBackward0', kernel: 'silu_cpu',
  forward: (k, x) => k.binary('mul', x, k.unary('sigmoid', x)),
  fast: (be, x, _, out) => be.activation?.('silu', x, 0, out) === true,
  backward: (g, x) => {
    const s = sigmoidOp(x);
    return mul(g, mul(s, add(mul(x, sub(1, s)), 1)));
  },
});

/** x·sigmoid(x), a.k.a. swish (F.silu). */
export function silu(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return apply('silu', siluOp, siluOp, input, undefined, inplace);
}

interface SoftplusParams {
  readonly beta: number;
  readonly threshold: number;
}

const softplusOp = activation<SoftplusParams>({
  name: 'softplus', gradFn: 'SoftplusBackward0', kernel: 'softplus_cpu',
  forward: (k, x, { beta, threshold }) => {
    // Above the threshold softplus is x to working precision, and exp would overflow.
    const bx = k.binary('mul', x, beta);
    return k.where(k.binary('gt', bx, threshold), x, k.binary('div', k.unary('log1p', k.unary('exp', bx)), beta));
  },
  backward: (g, x, { beta, threshold }) => {
    const bx = mul(x, beta);
    return where(gt(bx, threshold), g, mul(g, sigmoidOp(bx)));
  },
});

/** log(1 + exp(β·x))/β, and x where β·x > threshold (F.softplus). */
export function softplus(input: Tensor, { beta = 1, threshold = 20 }: { beta?: number; threshold?: number } = {}): Tensor {
  return softplusOp([input], { beta, threshold });
}

interface HardtanhParams {
  readonly minVal: number;
  readonly maxVal: number;
}

const hardtanhOp = activation<HardtanhParams>({
  name: 'hardtanh', gradFn: 'HardtanhBackward0', kernel: null,
  forward: (k, x, { minVal, maxVal }) => {
    // Integer inputs take the bounds converted to their dtype, as PyTorch's clamp does.
    const [lo, hi] = isFloating(k.dtype) ? [minVal, maxVal] : [Math.trunc(minVal), Math.trunc(maxVal)];
    return k.binary('minimum', k.binary('maximum', x, lo), hi);
  },
  // Floating inputs only: the kernel would not truncate the bounds as integer inputs need.
  fast: (be, x, { minVal, maxVal }, out) => isFloating(out.dtype) && be.clamp?.(x, minVal, maxVal, out) === true,
  // Unlike clamp's, the gradient is zero at the bounds themselves (PyTorch's hardtanh_backward).
  backward: (g, x, { minVal, maxVal }) => where(logicalOr(le(x, minVal), ge(x, maxVal)), 0, g),
});

/** x clamped to [minVal, maxVal] (F.hardtanh). */
export function hardtanh(input: Tensor, { minVal = -1, maxVal = 1, inplace = false }: { minVal?: number; maxVal?: number } & Inplace = {}): Tensor {
  return apply('hardtanh', hardtanhOp, hardtanhOp, input, { minVal, maxVal }, inplace);
}

const logsigmoidOp = activation<undefined>({
  name: 'log_sigmoid', gradFn: 'LogSigmoidBackward0', kernel: 'log_sigmoid_cpu',
  // min(x, 0) − log1p(exp(−|x|)): exp never overflows.
  forward: (k, x) => k.binary('sub', k.binary('minimum', x, 0), k.unary('log1p', k.unary('exp', k.unary('neg', k.unary('abs', x))))),
  backward: (g, x) => mul(g, sigmoidOp(mul(x, -1))),
});

/** log(sigmoid(x)), computed stably (F.logsigmoid). */
export function logsigmoid(input: Tensor): Tensor {
  return logsigmoidOp([input], undefined);
}

const hardswishOp = activation<undefined>({
  name: 'hardswish', gradFn: 'HardswishBackward0', kernel: 'hardswish_cpu',
  forward: (k, x) => k.binary('div', k.binary('mul', x, k.binary('minimum', k.binary('maximum', k.binary('add', x, 3), 0), 6)), 6),
  // PyTorch's hardswish_backward: 0 below −3, x/3 + 1/2 up to 3 (inclusive), 1 above.
  backward: (g, x) => where(lt(x, -3), 0, where(le(x, 3), mul(g, add(div3(x), 0.5)), g)),
});
const div3 = (x: Tensor): Tensor => mul(x, 1 / 3);

/** x·relu6(x + 3)/6 (F.hardswish). */
export function hardswish(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return apply('hardswish', hardswishOp, hardswishOp, input, undefined, inplace);
}

const hardsigmoidOp = activation<undefined>({
  name: 'hardsigmoid', gradFn: 'HardsigmoidBackward0', kernel: 'hardsigmoid_cpu',
  forward: (k, x) => k.binary('div', k.binary('minimum', k.binary('maximum', k.binary('add', x, 3), 0), 6), 6),
  // PyTorch scales by the float32 constant 1.0f / 6.0f in every dtype.
  backward: (g, x) => where(logicalAnd(gt(x, -3), lt(x, 3)), mul(g, Math.fround(1 / 6)), 0),
});

/** relu6(x + 3)/6 (F.hardsigmoid). */
export function hardsigmoid(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return apply('hardsigmoid', hardsigmoidOp, hardsigmoidOp, input, undefined, inplace);
}

const mishOp = activation<undefined>({
  name: 'mish', gradFn: 'MishBackward0', kernel: 'mish_cpu',
  forward: (k, x) => k.binary('mul', x, k.unary('tanh', k.unary('log1p', k.unary('exp', x)))),
  backward: (g, x) => {
    const t = tanhOp(exp(x).log1p());
    return mul(g, add(t, mul(mul(x, sigmoidOp(x)), sub(1, mul(t, t)))));
  },
});

/** x·tanh(softplus(x)) (F.mish). */
export function mish(input: Tensor, { inplace = false }: Inplace = {}): Tensor {
  return apply('mish', mishOp, mishOp, input, undefined, inplace);
}

/** a·sigmoid(b) for the two halves a, b of `input` along `dim` (F.glu). */
export function glu(input: Tensor, dim = -1): Tensor {
  if (input.dim() === 0) throw new RuntimeError('glu: glu does not support scalars because halving size must be even');
  const d = wrapDim(dim, input.dim(), 'glu');
  if (input.dims[d] % 2 !== 0) throw new RuntimeError(`glu: Halving dimension must be even, but dimension ${d} is size ${input.dims[d]}`);
  const [a, b] = chunk(input, 2, d) as [Tensor, Tensor];
  return mul(a, sigmoidOp(b));
}

/** 1/(1 + exp(−x)) (F.sigmoid, torch.sigmoid). */
export function sigmoid(input: Tensor): Tensor {
  return sigmoidOp(input);
}

/** Hyperbolic tangent (F.tanh, torch.tanh). */
export function tanh(input: Tensor): Tensor {
  return tanhOp(input);
}

/** PyTorch's implicit softmax dim (deprecated there): 0 for 0-, 1- and 3-d inputs, else 1. */
function softmaxDim(input: Tensor, dim: number | null): number {
  if (dim !== null) return dim;
  const n = input.dim();
  return n === 0 || n === 1 || n === 3 ? 0 : 1;
}

/** exp(x) normalised to sum to 1 along `dim` (F.softmax); dim null picks PyTorch's implicit dim. */
export function softmax(input: Tensor, dim: number | null, options: DtypeOptions = {}): Tensor {
  return softmaxOp(input, softmaxDim(input, dim), options);
}

/** log(softmax(x)) along `dim`, computed stably (F.log_softmax). */
export function logSoftmax(input: Tensor, dim: number | null, options: DtypeOptions = {}): Tensor {
  return logSoftmaxOp(input, softmaxDim(input, dim), options);
}

