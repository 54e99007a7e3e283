// src/nn/functional/shape.ts — F.oneHot, F.pixelShuffle, F.pixelUnshuffle, F.channelShuffle: rearrangements composed from
// comparisons and views (reshape, permute), so autograd and every device come for free.
import { RuntimeError } from '../../core/errors.js';
import { fmtShape } from '../../core/shape.js';
import { eq } from '../../ops/elementwise.js';
import { permute, reshape, unsqueeze } from '../../ops/views.js';
import { arange } from '../../tensor/creation.js';
import type { Tensor } from '../../tensor/tensor.js';

/**
 * int64 one-hot encodings of the class indices in `tensor`, with a new last dim of `numClasses`
 * (−1: the largest index + 1) (F.one_hot).
 * @example F.oneHot(torch.tensor([0, 2], { dtype: 'int64' }), 3) // tensor([[1, 0, 0], [0, 0, 1]])
 */
export function oneHot(tensor: Tensor, numClasses = -1): Tensor {
  if (tensor.dtype !== 'int64') throw new RuntimeError('one_hot: one_hot is only applicable to index tensor.');
  let n = numClasses;
  // As on PyTorch's CUDA, a device tensor with numClasses given is not read back to check its values.
  if (tensor.device.type === 'cpu' || numClasses === -1) {
    if (tensor.numel() === 0) {
      if (numClasses === -1) throw new RuntimeError('one_hot: Can not infer total number of classes from empty tensor.');
    } else {
      if (tensor.amin().item() < 0) throw new RuntimeError('one_hot: Class values must be non-negative.');
      const top = tensor.amax().item();
      if (n === -1) n = top + 1;
      else if (top >= n) throw new RuntimeError('one_hot: Class values must be smaller than num_classes.');
    }
  }
  if (n < 0) throw new RuntimeError('one_hot: Class values must be smaller than num_classes.');
  return eq(unsqueeze(tensor, -1), arange(n, { dtype: 'int64', device: tensor.device })).to('int64');
}

function checkFactor(op: string, x: Tensor, name: string, factor: number): void {
  if (x.dim() < 3) throw new RuntimeError(`${op}: ${op} expects input to have at least 3 dimensions, but got input with ${x.dim()} dimension(s)`);
  if (!Number.isInteger(factor) || factor <= 0) throw new RuntimeError(`${op}: ${op} expects a positive ${name}, but got ${factor}`);
}

/** [*, C·r², H, W] → [*, C, H·r, W·r] (F.pixel_shuffle). */
export function pixelShuffle(input: Tensor, upscaleFactor: number): Tensor {
  const op = 'pixel_shuffle', r = upscaleFactor;
  checkFactor(op, input, 'upscale_factor', r);
  const lead = input.dims.slice(0, -3), [c, h, w] = input.dims.slice(-3) as [number, number, number];
  if (c % (r * r) !== 0) {
    throw new RuntimeError(`${op}: ${op} expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
  }
  const k = lead.length, oc = c / (r * r);
  const split = reshape(input, [...lead, oc, r, r, h, w]);
  const moved = permute(split, [...lead.map((_, i) => i), k, k + 3, k + 1, k + 4, k + 2]);
  return reshape(moved, [...lead, oc, h * r, w * r]);
}

/** [*, C, H·r, W·r] → [*, C·r², H, W], the inverse of pixelShuffle (F.pixel_unshuffle). */
export function pixelUnshuffle(input: Tensor, downscaleFactor: number): Tensor {
  const op = 'pixel_unshuffle', r = downscaleFactor;
  checkFactor(op, input, 'downscale_factor', r);
  const lead = input.dims.slice(0, -3), [c, h, w] = input.dims.slice(-3) as [number, number, number];
  if (h % r !== 0) throw new RuntimeError(`${op}: ${op} expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new RuntimeError(`${op}: ${op} expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  const k = lead.length, oh = h / r, ow = w / r;
  const split = reshape(input, [...lead, c, oh, r, ow, r]);
  const moved = permute(split, [...lead.map((_, i) => i), k, k + 2, k + 4, k + 1, k + 3]);
  return reshape(moved, [...lead, c * r * r, oh, ow]);
}

/** [N, C, *] with the channels of `groups` groups interleaved: [N, g, C/g, *] transposed to [N, C/g, g, *] (F.channel_shuffle). */
export function channelShuffle(input: Tensor, groups: number): Tensor {
  const op = 'channel_shuffle';
  if (input.dim() <= 2) throw new RuntimeError(`${op}: channel_shuffle expects input with > 2 dims, but got input with sizes ${fmtShape(input.dims)}`);
  if (!Number.isInteger(groups) || groups <= 0) throw new RuntimeError(`${op}: Number of groups to divide channels in must be positive. Value of groups:${groups}`);
  const [n, c] = input.dims as [number, number];
  if (c % groups !== 0) throw new RuntimeError(`${op}: Number of channels must be divisible by groups. Got ${c} channels and ${groups} groups.`);
  const rest = input.dims.slice(2);
  return reshape(reshape(input, [n, groups, c / groups, ...rest]).transpose(1, 2), input.dims);
}
