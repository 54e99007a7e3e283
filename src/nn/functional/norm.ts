// src/nn/functional/norm.ts — F.batchNorm, F.layerNorm, F.groupNorm as compositions of reductions and
// pointwise ops (autograd flows through their parts), with PyTorch's running-statistics update.
import { RuntimeError, ValueError } from '../../core/errors.js';
import { fmtShape, numelOf } from '../../core/shape.js';
import { noGrad } from '../../autograd/grad-mode.js';
import { add, mul, rsqrt, sub } from '../../ops/elementwise.js';
import { mean, variance } from '../../ops/reduce.js';
import { reshape } from '../../ops/views.js';
import type { Tensor } from '../../tensor/tensor.js';

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
  const axes = shape.map((_, i) => input.dim() - k + i);
  return affine(normalize(input, axes, eps).y, weight, bias);
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
