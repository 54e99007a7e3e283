// src/nn/functional/dropout.ts — F.dropout and F.dropout2d, drawing the mask exactly as PyTorch 1.13
// does on the CPU, so that a seeded run zeroes the same elements.
import { ValueError } from '../../core/errors.js';
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
  const dtype = x.dtype === 'float64' ? 'float64' : 'float32';
  const mask = empty([...shape], { dtype });
  bernoulliInto(defaultGenerator, hostStorage('dropout', mask, 'a CPU tensor').data as Float32Array | Float64Array, 1 - p);
  return mask.to(x.device).div(1 - p);
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
