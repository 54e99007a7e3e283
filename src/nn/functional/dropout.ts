// src/nn/functional/dropout.ts — F.dropout, F.dropout1d/2d/3d, F.alphaDropout and F.featureAlphaDropout,
// drawing the mask exactly as PyTorch 1.13 does on the CPU, so that a seeded run zeroes the same elements.
import { RuntimeError, ValueError } from '../../core/errors.js';
import { defaultGenerator } from '../../core/random.js';
import { mul } from '../../ops/elementwise.js';
import { empty, zerosLike } from '../../tensor/creation.js';
import { hostStorage } from '../../tensor/device.js';
import { bernoulliInto } from '../../tensor/draw.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Inplace } from './activation.js';

/**
 * PyTorch's `noise.bernoulli_(1 - p); noise.div_(1 - p)`, in the input's dtype, of the given shape,
 * on the input's device: the mask is drawn on the host (seeded runs match the CPU's) and uploaded.
 */
function noise(x: Tensor, shape: readonly number[], p: number): Tensor {
  return keepMask(x, shape, p).div(1 - p);
}

/** PyTorch's `noise.bernoulli_(1 - p)`: ones where an element is kept. */
function keepMask(x: Tensor, shape: readonly number[], p: number): Tensor {
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const mask = empty([...shape], { dtype });
  bernoulliInto(defaultGenerator, hostStorage('dropout', mask, 'a CPU tensor').data as Float32Array | Float64Array, 1 - p);
  return mask.to(x.device);
}

function checkP(p: number): void {
  if (p < 0 || p > 1) throw new ValueError(`dropout: dropout probability has to be between 0 and 1, but got ${p}`);
}

/** Zeroes each element with probability p and scales the rest by 1/(1 − p) while training (F.dropout). */
export function dropout(input: Tensor, p = 0.5, training = true, { inplace = false }: Inplace = {}): Tensor {
  checkP(p);
  if (!training || p === 0) return input;
  const scale = p === 1 ? zerosLike(input) : noise(input, input.dims, p);
  return inplace ? input.mul_(scale) : mul(input, scale);
}

/** Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability p while training (F.dropout2d). */
export function dropout2d(input: Tensor, p = 0.5, training = true, { inplace = false }: Inplace = {}): Tensor {
  checkP(p);
  if (input.dim() !== 3 && input.dim() !== 4) {
    throw new ValueError(`dropout2d: Expected 3D (unbatched) or 4D (batched) input to dropout2d, but got input of size: [${input.dims.join(', ')}]`);
  }
  if (!training || p === 0) return input;
  // One draw per channel, broadcast over the plane (PyTorch's make_feature_noise).
  const lead = input.dim() === 4 ? input.dims.slice(0, 2) : input.dims.slice(0, 1);
  const scale = p === 1 ? zerosLike(input) : noise(input, [...lead, 1, 1], p);
  return inplace ? input.mul_(scale) : mul(input, scale);
}

/** One draw per channel: the noise shape [N, C, 1, …] (PyTorch's make_feature_noise). */
const featureShape = (x: Tensor): number[] => [x.dims[0], x.dims[1], ...x.dims.slice(2).map(() => 1)];

/** Channel-wise dropout of a batched input, or of an unbatched one seen as a batch of one (PyTorch's feature_dropout). */
function featureDropout(input: Tensor, p: number, training: boolean, inplace: boolean, batched: boolean): Tensor {
  if (!training || p === 0) return input;
  const x = batched ? input : input.unsqueeze(0);
  const scale = p === 1 ? zerosLike(x) : noise(x, featureShape(x), p);
  const s = batched ? scale : scale.squeeze(0);
  return inplace ? input.mul_(s) : mul(input, s);
}

/** Zeroes whole channels of [N, C, L] (or [C, L]) with probability p while training (F.dropout1d). */
export function dropout1d(input: Tensor, p = 0.5, training = true, { inplace = false }: Inplace = {}): Tensor {
  checkP(p);
  if (input.dim() !== 2 && input.dim() !== 3) {
    throw new RuntimeError(
      `dropout1d: Expected 2D or 3D input, but received a ${input.dim()}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 ` +
        'spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).',
    );
  }
  return featureDropout(input, p, training, inplace, input.dim() === 3);
}

/** Zeroes whole channels of [N, C, D, H, W] (other ranks: unbatched) with probability p while training (F.dropout3d). */
export function dropout3d(input: Tensor, p = 0.5, training = true, { inplace = false }: Inplace = {}): Tensor {
  checkP(p);
  return featureDropout(input, p, training, inplace, input.dim() === 5);
}

const SELU_ALPHA_PRIME = 1.7580993408473766; // −scale·alpha of SELU: where dropped units go

/** Alpha dropout: dropped units take SELU's negative saturation and the rest are rescaled to keep mean and variance. */
function alpha(input: Tensor, p: number, training: boolean, inplace: boolean, shape: readonly number[]): Tensor {
  checkP(p);
  if (!training || p === 0) return input;
  if (p === 1) return inplace ? input.mul_(0) : mul(input, zerosLike(input));
  const a = 1 / Math.sqrt((SELU_ALPHA_PRIME * SELU_ALPHA_PRIME * p + 1) * (1 - p));
  const keep = keepMask(input, shape, p);
  const b = keep.sub(1).mul(SELU_ALPHA_PRIME * a).add(SELU_ALPHA_PRIME * a * p);
  const scaled = inplace ? input.mul_(keep.mul(a)) : mul(input, keep.mul(a));
  return inplace ? scaled.add_(b) : scaled.add(b);
}

/** Alpha dropout for SELU networks, elementwise (F.alpha_dropout; off unless `training`). */
export function alphaDropout(input: Tensor, p = 0.5, training = false, { inplace = false }: Inplace = {}): Tensor {
  return alpha(input, p, training, inplace, input.dims);
}

/** Alpha dropout of whole channels (F.feature_alpha_dropout; off unless `training`). */
export function featureAlphaDropout(input: Tensor, p = 0.5, training = false, { inplace = false }: Inplace = {}): Tensor {
  if (training && p !== 0 && input.dim() < 2) throw new RuntimeError('feature_alpha_dropout: Feature dropout requires at least 2 dimensions in the input');
  return alpha(input, p, training, inplace, input.dim() < 2 ? input.dims : featureShape(input));
}
