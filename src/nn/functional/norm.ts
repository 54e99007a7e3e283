// src/nn/functional/norm.ts — F.batchNorm, F.instanceNorm, F.layerNorm, F.groupNorm, F.localResponseNorm as compositions of reductions and
// pointwise ops (autograd flows through their parts), with PyTorch's running-statistics update.
import { RuntimeError, ValueError } from '../../core/errors.js';
import { fmtShape, numelOf } from '../../core/shape.js';
import { isGradEnabled, noGrad } from '../../autograd/grad-mode.js';
import { defineOp } from '../../ops/define.js';
import { add, mul, rsqrt, sub } from '../../ops/elementwise.js';
import { mean, sum, variance } from '../../ops/reduce.js';
import { reshape } from '../../ops/views.js';
import { backendOf } from '../../tensor/device.js';
import { type Tensor, uninitTensor } from '../../tensor/tensor.js';
import type { View } from '../../backends/backend.js';
import { pad } from './pad.js';
import { avgPool3d } from './pool-nd.js';
import { avgPool2d } from './pool.js';

/** (x − mean) / √(var + eps) over `axes`, with the biased variance, as every norm layer normalises. */
function normalize(x: Tensor, axes: readonly number[], eps: number): { y: Tensor; mean: Tensor; var: Tensor } {
  const m = mean(x, axes, true);
  const v = variance(x, axes, { correction: 0, keepdim: true });
  return { y: mul(sub(x, m), rsqrt(add(v, eps))), mean: m, var: v };
}

/** y · weight + bias, each optional. */
function affine(y: Tensor, weight: Tensor | null, bias: Tensor | null): Tensor {
  const scaled = weight === null ? y : mul(y, weight);
  return bias === null ? scaled : add(scaled, bias);
}

/** A per-channel vector [C] as [C, 1, …] so that it broadcasts over [N, C, *]. */
const channelView = (v: Tensor, ndim: number): Tensor => reshape(v, [v.numel(), ...new Array<number>(ndim - 2).fill(1)]);
const perChannel = (v: Tensor | null, ndim: number): Tensor | null => (v === null ? null : channelView(v, ndim));

/**
 * stat ← (1 − momentum)·stat + momentum·scale·value, computed in float64 as PyTorch's CPU kernel does; on
 * a GPU in the stat's own dtype, as PyTorch's CUDA kernel does (and WebGPU has no float64).
 */
function updateRunning(stat: Tensor, value: Tensor, momentum: number, scale = 1): void {
  const wide = stat.device.type === 'cpu' ? 'float64' : stat.dtype;
  noGrad(() => {
    const v = reshape(value, [-1]).to(wide);
    const next = add(mul(stat.to(wide), 1 - momentum), mul(scale === 1 ? v : mul(v, scale), momentum));
    stat.copy_(next);
  });
}

function checkStat(name: string, stat: Tensor | null, channels: number): void {
  if (stat !== null && stat.numel() !== channels) {
    throw new RuntimeError(`batch_norm: ${name} should contain ${channels} elements not ${stat.numel()}`);
  }
}

/**
 * Batch normalisation over [N, C, *] (F.batch_norm): batch statistics when training (and an in-place
 * update of the running ones, with the unbiased variance), running statistics otherwise.
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  training = false,
  momentum = 0.1,
  eps = 1e-5,
): Tensor {
  if (input.dim() < 2) throw new ValueError(`batch_norm: expected 2D or more input (got ${input.dim()}D input)`);
  const c = input.dims[1];
  checkStat('running_mean', runningMean, c);
  checkStat('running_var', runningVar, c);
  for (const [name, v] of [['weight', weight], ['bias', bias]] as const) {
    if (v !== null && v.numel() !== c) throw new RuntimeError(`batch_norm: ${name} should contain ${c} elements not ${v.numel()}`);
  }
  const axes = [0, ...input.dims.slice(2).map((_, i) => i + 2)];
  const ndim = input.dim();
  let y: Tensor;
  if (training) {
    const n = input.numel() / c;
    if (n === 1) {
      throw new ValueError(`batch_norm: Expected more than 1 value per channel when training, got input size torch.Size([${input.dims.join(', ')}])`);
    }
    const stats = normalize(input, axes, eps);
    y = stats.y;
    if (runningMean !== null) updateRunning(runningMean, stats.mean.detach(), momentum);
    if (runningVar !== null) updateRunning(runningVar, stats.var.detach(), momentum, n / (n - 1)); // the unbiased variance
  } else {
    if (runningMean === null || runningVar === null) throw new RuntimeError('batch_norm: running_mean must be defined in evaluation mode');
    y = mul(sub(input, channelView(runningMean, ndim)), rsqrt(add(channelView(runningVar, ndim), eps)));
  }
  return affine(y, perChannel(weight, ndim), perChannel(bias, ndim));
}

/** Layer normalisation over the trailing `normalizedShape` dims (F.layer_norm). */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  eps = 1e-5,
): Tensor {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = shape.length, tail = input.dims.slice(input.dim() - k);
  if (k === 0 || input.dim() < k || tail.some((n, i) => n !== shape[i])) {
    throw new RuntimeError(
      `layer_norm: Given normalized_shape=${fmtShape(shape)}, expected input with shape [*, ${shape.join(', ')}], but got input of size${fmtShape(input.dims)}`,
    );
  }
  for (const [name, v] of [['weight', weight], ['bias', bias]] as const) {
    if (v !== null && (v.dim() !== k || v.dims.some((n, i) => n !== shape[i]))) {
      throw new RuntimeError(`layer_norm: Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${fmtShape(v.dims)} and normalized_shape = ${fmtShape(shape)}`);
    }
  }
  const cols = numelOf(shape), be = backendOf('layer_norm', [input]);
  // An empty input skips the op's forward (nothing to write), which leaves its backward no statistics.
  const fused = be.layerNorm !== undefined && input.numel() > 0 && (input.dtype === 'float32' || input.dtype === 'float64')
    && [weight, bias].every((v) => v === null || v.dtype === input.dtype);
  if (!fused) return affine(normalize(input, shape.map((_, i) => input.dim() - k + i), eps).y, weight, bias);
  const dense = (v: Tensor | null): Tensor[] => (v === null ? [] : [v.contiguous()]);
  return layerNormOp([input.contiguous(), ...dense(weight), ...dense(bias)], { cols, normalizedShape: shape, eps, weighted: weight !== null, biased: bias !== null, mean: null, rstd: null });
}

interface LayerNormParams {
  /** Elements per normalised row: the product of normalizedShape. */
  cols: number;
  normalizedShape: readonly number[];
  eps: number;
  weighted: boolean;
  biased: boolean;
  /** The rows' statistics [rows], left by the forward for the backward. */
  mean: Tensor | null;
  rstd: Tensor | null;
}

/**
 * Layer norm as one graph node (PyTorch's native_layer_norm), on backends with its kernels: inputs x
 * (contiguous, read as rows of `cols`), then weight and bias (contiguous, normalizedShape) where given.
 * Its backward runs the kernel, unless it is recorded (double backward): then the same formulas run
 * as ops, so that they are differentiable.
 */
const layerNormOp = defineOp<LayerNormParams>({
  name: 'layer_norm',
  gradFn: 'NativeLayerNormBackward0',
  meta: ([x]) => ({ shape: x.dims, dtype: x.dtype }),
  forward: (be, [x, ...affineViews], out, p) => {
    const rows = numelOf(x.shape) / p.cols;
    const [w, b] = [p.weighted ? affineViews[0] : null, p.biased ? affineViews[p.weighted ? 1 : 0] : null].map((v) => v && vectorView(v, p.cols));
    p.mean = uninitTensor(be, [rows], x.storage.dtype);
    p.rstd = uninitTensor(be, [rows], x.storage.dtype);
    if (be.layerNorm?.(rowsView(x, p.cols), w, b, p.eps, out, p.mean.storage, p.rstd.storage) !== true) {
      throw new RuntimeError(`internal error: layer_norm's kernel refused input ${fmtShape(x.shape)}`);
    }
  },
  backward: (g, [x, ...affineInputs], _out, p) => {
    const w = p.weighted ? affineInputs[0] : null;
    if (isGradEnabled()) return layerNormGradOps(g, x, w, p);
    const be = backendOf('layer_norm', [g, x]), dx = x.requiresGrad ? uninitTensor(be, x.dims, x.dtype) : null;
    const [dw, db] = [p.weighted, p.biased].map((given) => (given ? uninitTensor(be, p.normalizedShape, x.dtype) : null));
    const [mean, rstd] = [p.mean as Tensor, p.rstd as Tensor].map((t) => t.kernelView());
    const done = be.layerNormBackward?.(rowsView(g.contiguous().kernelView(), p.cols), rowsView(x.kernelView(), p.cols), mean, rstd,
      w && vectorView(w.kernelView(), p.cols), dx?.storage ?? null, dw?.storage ?? null, db?.storage ?? null);
    if (done !== true) throw new RuntimeError(`internal error: layer_norm's backward kernel refused input ${fmtShape(x.dims)}`);
    return [dx, ...(dw === null ? [] : [dw]), ...(db === null ? [] : [db])];
  },
  saves: 'inputs',
  overwrites: true,
});

/** A dense view as [rows, cols] and as a vector [cols]: what the kernels take. */
const rowsView = (v: View, cols: number): View => ({ ...v, shape: [numelOf(v.shape) / cols, cols], strides: [cols, 1] });
const vectorView = (v: View, cols: number): View => ({ ...v, shape: [cols], strides: [1] });

/** layerNormOp's gradients as ops: differentiable, for a recorded backward. */
function layerNormGradOps(g: Tensor, x: Tensor, w: Tensor | null, p: LayerNormParams): Tensor[] {
  const rowsShape = [x.numel() / p.cols, p.cols], paramShape = p.normalizedShape;
  const [x2, g2, w2] = [reshape(x, rowsShape), reshape(g, rowsShape), w && reshape(w, [p.cols])];
  const { y: xhat, var: v } = normalize(x2, [1], p.eps);
  const gw = w2 === null ? g2 : mul(g2, w2), rstd = rsqrt(add(v, p.eps));
  const dx = mul(rstd, sub(sub(gw, mean(gw, [1], true)), mul(xhat, mean(mul(gw, xhat), [1], true))));
  return [reshape(dx, x.dims), ...(p.weighted ? [reshape(sum(mul(g2, xhat), [0]), paramShape)] : []), ...(p.biased ? [reshape(sum(g2, [0]), paramShape)] : [])];
}

/** Group normalisation of [N, C, *] over groups of C / numGroups channels (F.group_norm). */
export function groupNorm(input: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  if (input.dim() < 2) throw new RuntimeError(`group_norm: Expected at least 2 dimensions for input tensor but received ${input.dim()}`);
  const [n, c] = input.dims as [number, number];
  if (numGroups <= 0 || c % numGroups !== 0) {
    throw new RuntimeError(
      `group_norm: Expected number of channels in input to be divisible by num_groups, but got input of shape ${fmtShape(input.dims)} and num_groups=${numGroups}`,
    );
  }
  for (const [name, v] of [['weight', weight], ['bias', bias]] as const) {
    if (v !== null && (v.dim() !== 1 || v.numel() !== c)) {
      throw new RuntimeError(`group_norm: Expected ${name} to be a vector of size equal to the number of channels in input, but got ${name} of shape ${fmtShape(v.dims)} and input of shape ${fmtShape(input.dims)}`);
    }
  }
  const grouped = reshape(input, [n, numGroups, numelOf(input.dims.slice(1)) / numGroups]);
  const y = reshape(normalize(grouped, [2], eps).y, input.dims);
  return affine(y, perChannel(weight, input.dim()), perChannel(bias, input.dim()));
}

/**
 * Instance normalisation: each sample's channels normalised over their spatial dims (F.instance_norm).
 * As in PyTorch, this is batch normalisation of [1, N·C, *] with the running statistics repeated per
 * sample, and their per-sample updates averaged back.
 */
export function instanceNorm(
  input: Tensor,
  runningMean: Tensor | null = null,
  runningVar: Tensor | null = null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  useInputStats = true,
  momentum = 0.1,
  eps = 1e-5,
): Tensor {
  if (useInputStats && numelOf(input.dims.slice(2)) === 1) {
    throw new ValueError(`instance_norm: Expected more than 1 spatial element when training, got input size torch.Size([${input.dims.join(', ')}])`);
  }
  if (!useInputStats && (runningMean === null || runningVar === null)) {
    throw new RuntimeError('instance_norm: Expected running_mean and running_var to be defined when use_input_stats is false');
  }
  const [b, c] = input.dims as [number, number];
  const repeat = (v: Tensor | null): Tensor | null => (v === null ? null : reshape(v.unsqueeze(0).expand(b, v.numel()), [-1]));
  const mean = noGrad(() => repeat(runningMean)), variance = noGrad(() => repeat(runningVar));
  const out = batchNorm(reshape(input, [1, b * c, ...input.dims.slice(2)]), mean, variance, repeat(weight), repeat(bias), useInputStats, momentum, eps);
  noGrad(() => {
    if (runningMean !== null && mean !== null) runningMean.copy_(reshape(mean, [b, c]).mean(0));
    if (runningVar !== null && variance !== null) runningVar.copy_(reshape(variance, [b, c]).mean(0));
  });
  return reshape(out, input.dims);
}

/**
 * Local response normalisation across channels: x / (k + α·mean of x² over `size` neighbouring channels)^β
 * (F.local_response_norm), the mean taken with zero padding as PyTorch's average pooling does.
 */
export function localResponseNorm(input: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1): Tensor {
  const n = input.dim();
  if (n < 3) throw new ValueError(`local_response_norm: Expected 3D or higher dimensionality                          input (got ${n} dimensions)`);
  if (input.numel() === 0) return input;
  const before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  let div: Tensor;
  if (n === 3) {
    div = avgPool2d(pad(input.mul(input).unsqueeze(1), [0, 0, before, after]), [size, 1], { stride: 1 }).squeeze(1);
  } else {
    const [b, c] = input.dims as [number, number];
    const grouped = reshape(input.mul(input), [b, 1, c, input.dims[2], -1]);
    div = reshape(avgPool3d(pad(grouped, [0, 0, 0, 0, before, after]), [size, 1, 1], { stride: 1 }).squeeze(1), input.dims);
  }
  return input.div(div.mul(alpha).add(k).pow(beta));
}
