// src/nn/functional/loss.ts — regression and divergence losses (F.mseLoss, F.l1Loss, F.smoothL1Loss,
// F.huberLoss, F.klDiv) with PyTorch's reductions, and the helpers every loss shares.
import { isFloating, TYPE_NAMES } from '../../core/dtype.js';
import { AssertionError, RuntimeError, ValueError } from '../../core/errors.js';
import { broadcastShapes, numelOf } from '../../core/shape.js';
import type { View } from '../../backends/backend.js';
import { defineOp, expandView, denseView } from '../../ops/define.js';
import { abs, div, eq, exp, log, mul, sign, sub, where } from '../../ops/elementwise.js';
import { resultType, scalarView } from '../../ops/operands.js';
import { mean, sum } from '../../ops/reduce.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Pointwise } from './activation.js';

export type Reduction = 'mean' | 'sum' | 'none';

/** The seed's rule: criterions do not differentiate with respect to their target. */
export function checkTarget(target: Tensor): void {
  if (target.requiresGrad) {
    throw new AssertionError(
      "nn criterions don't compute the gradient w.r.t. targets - please mark these tensors as not requiring gradients",
    );
  }
}

/** PyTorch's error for a loss whose inputs promote to an integer type, which its CPU kernels do not implement. */
export function checkFloatingLoss(op: string, kernel: string, inputs: readonly Tensor[]): void {
  const dtype = resultType(inputs);
  if (!isFloating(dtype)) throw new RuntimeError(`${op}: "${kernel}" not implemented for '${TYPE_NAMES[dtype]}'`);
}

/** Checks a reduction name coming from untyped callers. */
export function checkReduction(op: string, reduction: string): asserts reduction is Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new ValueError(`${op}: ${reduction} is not a valid value for reduction`);
  }
}

/** Elementwise losses kept ('none'), summed or averaged; composite, so grad_fn is Sum/MeanBackward0. */
export function applyReduction(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? loss : reduction === 'sum' ? sum(loss) : mean(loss);
}

const mseLossOp = defineOp<Reduction>({
  name: 'mse_loss',
  gradFn: 'MseLossBackward0',
  meta: ([a, b], reduction) => {
    const shape = broadcastShapes('mse_loss', a.dims, b.dims);
    const dtype = resultType([a, b]);
    return { shape: reduction === 'none' ? shape : [], dtype, cast: dtype };
  },
  forward: (be, [a, b], out, reduction) => {
    const shape = broadcastShapes('mse_loss', a.shape, b.shape);
    const n = shape.reduce((x, y) => x * y, 1);
    const diff = reduction === 'none' ? out : be.allocUninit?.(out.dtype, n) ?? be.alloc(out.dtype, n);
    be.binary('sub', expandView(a, shape), expandView(b, shape), diff);
    be.binary('mul', denseView(diff, shape), denseView(diff, shape), diff);
    if (reduction === 'none') return;
    be.reduce('sum', denseView(diff, shape), shape.map((_, i) => i), out);
    // mean of an empty tensor is NaN, as in PyTorch
    if (reduction === 'mean') be.binary('div', denseView(out, []), scalarView(be, n, out.dtype, []), out);
  },
  backward: (g, [a, b], _, reduction) => {
    const n = broadcastShapes('mse_loss', a.dims, b.dims).reduce((x, y) => x * y, 1);
    const scale = reduction === 'mean' ? 2 / n : 2;
    // PyTorch's one pass, scale·(a − b)·g, here in place on the fresh difference unless recorded
    const d = sub(a, b), scaled = mul(d, scale, d), ga = mul(scaled, g, scaled);
    return [ga, b.requiresGrad ? mul(ga, -1) : null];
  },
  saves: 'inputs',
});

/** Mean squared error (F.mse_loss); reduction 'mean' (default), 'sum' or 'none'. */
export function mseLoss(input: Tensor, target: Tensor, { reduction = 'mean' }: { reduction?: Reduction } = {}): Tensor {
  checkReduction('mse_loss', reduction);
  checkTarget(target);
  checkFloatingLoss('mse_loss', 'mse_cpu', [input, target]);
  return mseLossOp([input, target], reduction);
}

interface LossParams<P> {
  readonly reduction: Reduction;
  /** The common shape of all inputs (the output's shape for reduction 'none'). */
  readonly shape: readonly number[];
  readonly extra: P;
}

export interface PointwiseLossSpec<P> {
  readonly name: string;
  readonly gradFn: string;
  /** The elementwise loss of the inputs (input, target, …), all broadcast to one shape. */
  forward(k: Pointwise, inputs: readonly View[], p: P): View;
  /** d loss/d input elementwise, written with ops; the engine sums it back to the input's shape. */
  grad(inputs: readonly Tensor[], p: P): Tensor;
}

/**
 * A loss op that is pointwise before its reduction, differentiable in its first input only
 * (targets and weights never need gradients here). Inputs broadcast to a common shape.
 */
export function pointwiseLoss<P>(spec: PointwiseLossSpec<P>): (inputs: readonly Tensor[], reduction: Reduction, extra: P) => Tensor {
  const op = defineOp<LossParams<P>>({
    name: spec.name,
    gradFn: spec.gradFn,
    meta: (inputs, { reduction, shape }) => {
      const dtype = resultType(inputs);
      return { shape: reduction === 'none' ? shape : [], dtype, cast: dtype };
    },
    forward: (be, inputs, out, { reduction, shape, extra }) => {
      const k = new Pointwise(be, shape, out.dtype);
      const loss = spec.forward(k, inputs.map((v) => expandView(v, shape)), extra);
      if (reduction === 'none') {
        k.write(loss, out);
        return;
      }
      be.reduce('sum', loss, shape.map((_, i) => i), out);
      // empty: NaN, as PyTorch
      if (reduction === 'mean') be.binary('div', denseView(out, []), scalarView(be, numelOf(shape), out.dtype, []), out);
    },
    backward: (g, inputs, _, { reduction, shape, extra }) => {
      const scale = reduction === 'mean' ? div(g, numelOf(shape)) : g;
      return [mul(spec.grad(inputs, extra), scale), ...inputs.slice(1).map(() => null)];
    },
    saves: 'inputs',
  });
  return (inputs, reduction, extra) => op(inputs, { reduction, shape: broadcastShapes(spec.name, ...inputs.map((t) => t.dims)), extra });
}

export interface ReductionOptions {
  reduction?: Reduction;
}

/** Mean absolute error (F.l1_loss); composite, as in PyTorch 1.13. */
export function l1Loss(input: Tensor, target: Tensor, { reduction = 'mean' }: ReductionOptions = {}): Tensor {
  checkReduction('l1_loss', reduction);
  checkTarget(target);
  return applyReduction(abs(sub(input, target)), reduction);
}

const smoothL1Op = pointwiseLoss<number>({
  name: 'smooth_l1_loss',
  gradFn: 'SmoothL1LossBackward0',
  forward: (k, [a, b], beta) => {
    const d = k.binary('sub', a, b), ad = k.unary('abs', d);
    const quadratic = k.binary('div', k.binary('mul', k.binary('mul', d, d), 0.5), beta);
    return k.where(k.binary('lt', ad, beta), quadratic, k.binary('sub', ad, 0.5 * beta));
  },
  // beta = 0 is the L1 loss: the quadratic branch is never taken, so its 0/0 is never used.
  grad: ([a, b], beta) => {
    const d = sub(a, b);
    return where(abs(d).lt(beta), div(d, beta), sign(d));
  },
});

/** Squared error below beta, absolute error above, joined smoothly (F.smooth_l1_loss). */
export function smoothL1Loss(input: Tensor, target: Tensor, { reduction = 'mean', beta = 1 }: ReductionOptions & { beta?: number } = {}): Tensor {
  checkReduction('smooth_l1_loss', reduction);
  checkTarget(target);
  checkFloatingLoss('smooth_l1_loss', 'smooth_l1_cpu', [input, target]);
  if (beta < 0) throw new RuntimeError('smooth_l1_loss: smooth_l1_loss does not support negative values for beta.');
  return smoothL1Op([input, target], reduction, beta);
}

const huberOp = pointwiseLoss<number>({
  name: 'huber_loss',
  gradFn: 'HuberLossBackward0',
  forward: (k, [a, b], delta) => {
    const d = k.binary('sub', a, b), ad = k.unary('abs', d);
    const linear = k.binary('mul', k.binary('sub', ad, 0.5 * delta), delta);
    return k.where(k.binary('lt', ad, delta), k.binary('mul', k.binary('mul', d, d), 0.5), linear);
  },
  grad: ([a, b], delta) => {
    const d = sub(a, b);
    return where(abs(d).lt(delta), d, mul(sign(d), delta));
  },
});

/** 0.5·d² below delta, delta·(|d| − 0.5·delta) above (F.huber_loss). */
export function huberLoss(input: Tensor, target: Tensor, { reduction = 'mean', delta = 1 }: ReductionOptions & { delta?: number } = {}): Tensor {
  checkReduction('huber_loss', reduction);
  checkTarget(target);
  checkFloatingLoss('huber_loss', 'huber_cpu', [input, target]);
  if (!(delta > 0)) throw new RuntimeError('huber_loss: huber_loss does not support non-positive values for delta.');
  return huberOp([input, target], reduction, delta);
}

export type KLDivReduction = Reduction | 'batchmean';

/**
 * Kullback–Leibler divergence of `target` from the log-probabilities `input` (F.kl_div); with
 * logTarget the target holds log-probabilities too. 'batchmean' divides the sum by the batch size.
 */
export function klDiv(input: Tensor, target: Tensor, { reduction = 'mean', logTarget = false }: { reduction?: KLDivReduction; logTarget?: boolean } = {}): Tensor {
  if (reduction !== 'batchmean') checkReduction('kl_div', reduction);
  checkTarget(target);
  if (!input.isFloatingPoint() || !target.isFloatingPoint()) throw new RuntimeError('kl_div: Integral inputs not supported.');
  // target·log(target) is taken as 0 where target is 0 (torch.xlogy).
  const loss = logTarget
    ? mul(exp(target), sub(target, input))
    : sub(where(eq(target, 0), 0, mul(target, log(target))), mul(target, input));
  if (reduction !== 'batchmean') return applyReduction(loss, reduction);
  const total = sum(loss);
  return input.dim() === 0 ? total : div(total, input.dims[0]);
}
